import { planRelabel, type RelabelPlan } from '@hostnet/relabel';
import { buildZone } from '../../../../../libs/relabel/test-support/zone-builder';
import type { HostStepRecord, RelabelRollout } from '../../relabels/relabel-rollout.types';
import { newRollout } from '../../relabels/rollout-record.factory';

export const EVIL = '"><script>x()</script>';
export const STEP_AT = '2026-12-01T10:00:00.000Z';
/** Two clusters of two: kvm1 is the canary, then one wave per host pair the plan makes. */
export const ROLLOUT_ZONE = buildZone({ clusterSizes: [2, 2] });
export const ROLLOUT_REQUEST = { zone: 'zone1', changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }], strategy: { canary: 1, maxUnavailable: 1 } };

/** A real plan of ROLLOUT_ZONE (Open vSwitch hosts) and its `planned` record, as POST /relabels makes them. */
export function plannedRollout(id = 'rl-spec'): { rollout: RelabelRollout; plan: RelabelPlan } {
  const hostFacts = Object.fromEntries(ROLLOUT_ZONE.hosts.map((h) => [h.id, { backend: 'ovs' as const }]));
  const plan = planRelabel({ topology: ROLLOUT_ZONE, changes: ROLLOUT_REQUEST.changes, strategy: ROLLOUT_REQUEST.strategy, hostFacts });
  return { rollout: newRollout(plan, ROLLOUT_ZONE, ROLLOUT_REQUEST, id), plan };
}

export const hostStep = (fields: Partial<HostStepRecord>): HostStepRecord => ({ purpose: 'contract', layout: 'new', restartAgent: false, startedAt: STEP_AT, ...fields });

/**
 * Writes what the runner would have written by the contract waves: every host expanded, kvm1 (canary)
 * contracted, kvm2 in maintenance for its contract, kvm3 failed with a hostile name and reason.
 */
export function toMidContract(rollout: RelabelRollout): void {
  Object.assign(rollout, { state: 'running', phase: 'contract', startedAt: STEP_AT, flipped: ['tt-public'], failedHosts: ['host-3'] });
  for (const host of Object.values(rollout.hosts)) Object.assign(host, { layout: 'both', steps: [hostStep({ purpose: 'expand', layout: 'both', result: 'verified', endedAt: STEP_AT })] });
  rollout.hosts['host-1']!.layout = 'new';
  rollout.hosts['host-1']!.steps.push(hostStep({ result: 'verified', runStatus: 'applied', endedAt: STEP_AT }));
  rollout.hosts['host-2']!.current = hostStep({ stage: 'maintenance' });
  rollout.hosts['host-3']!.hostName = EVIL;
  rollout.hosts['host-3']!.steps.push(hostStep({ result: 'failed', runStatus: 'rolled-back', runId: 'run-3', reason: `verification failed: ${EVIL}`, endedAt: STEP_AT }));
}

export function midContractRollout(id?: string): { rollout: RelabelRollout; plan: RelabelPlan } {
  const planned = plannedRollout(id);
  toMidContract(planned.rollout);
  return planned;
}
