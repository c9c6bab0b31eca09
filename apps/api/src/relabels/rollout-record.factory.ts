import { randomBytes } from 'node:crypto';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { RelabelPlan } from '@hostnet/relabel';
import type { RelabelRequest, RelabelRollout } from './relabel-rollout.types';

/** A new `planned` rollout for `plan`: every host in scope on its old layout, nothing flipped or frozen. */
export function newRollout(plan: RelabelPlan, topology: ZoneNetworkTopology, request: RelabelRequest, id = `rl-${randomBytes(6).toString('hex')}`): RelabelRollout {
  const now = new Date().toISOString();
  const initial = new Map(topology.hosts.map((h) => [h.id, h.resourceState]));
  return {
    id,
    zoneId: topology.zone.id,
    zoneName: topology.zone.name,
    planHash: plan.planHash,
    request,
    changes: plan.changes.map((c) => ({ physicalNetworkId: c.physicalNetworkId, trafficType: c.trafficType, oldLabel: c.oldLabel, newLabel: c.newLabel })),
    state: 'planned',
    phase: 'expand',
    flipped: [],
    frozen: [],
    switched: [],
    failedHosts: [],
    rollbackFailures: [],
    abortAfter: plan.strategy.abortAfter,
    hosts: Object.fromEntries(
      plan.expand.map((s) => [
        s.hostId,
        { hostId: s.hostId, hostName: s.hostName, clusterId: s.clusterId, backend: s.backend, initialResourceState: initial.get(s.hostId) ?? 'unknown', layout: 'old' as const, steps: [] },
      ]),
    ),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}
