import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import type { HostStatusBrief } from '../hosts/host-status.types';
import { NOT_ENABLED } from '../jobs/not-enabled';
import { isCutOff, operatorHold } from './operator-hold';

export type HostDecision =
  | { action: 'apply'; reason: string }
  | { action: 'dry-run'; reason: string }
  /** `inProgress`: skipped because its run is under way, which only holds while that run can still end (lost-runs.ts). */
  | { action: 'skip'; reason: string; inProgress?: true }
  /** Record only: CloudStack enabled a host whose verified run hostnet did not enable (no job, no CloudStack call). */
  | { action: 'record-enabled'; reason: string };

/** A run for this spec is under way or verified and being enabled: a new one would only join it. */
const IN_PROGRESS = new Set(['queued', 'applying', 'verified', 'no-op']);

/**
 * Decides what the poller does with one host. Hosts that are Disabled or cut off (Alert,
 * Disconnected) get configured; a host already Up and Enabled that hostnet never saw only gets a
 * dry-run, because reconfiguring a host that carries VMs is an operator's call. A host an operator
 * holds (operator-hold.ts: maintenance, a failed spec, Disabled by someone's choice) is left alone.
 */
export function decideForHost(host: KvmHost, specHash: () => string, latest: HostStatusBrief | undefined): HostDecision {
  // Derived only when a branch needs it: a zone whose hosts are all Up and Enabled costs no derivation.
  const sameSpec = () => latest?.specHash === specHash();
  const hold = operatorHold(host, specHash, latest);
  if (hold) return { action: 'skip', reason: hold };
  const cutOff = isCutOff(host);
  if (host.resourceState === 'Disabled' || cutOff) {
    // a dry-run's queued record (a new host's first, hostnet having no other) is no run towards enabling it
    if (latest && IN_PROGRESS.has(latest.phase) && !latest.dryRun && sameSpec()) {
      // A verified run's record that begins "not enabled: " is its result's last word (the run was handled and
      // released), not a run under way: nothing of it can be lost.
      const underWay = !(latest.reason?.startsWith(NOT_ENABLED) ?? false);
      return { action: 'skip', reason: `already ${latest.phase} for this spec; enabling is in progress`, ...(underWay ? { inProgress: true as const } : {}) };
    }
    return { action: 'apply', reason: cutOff ? `host is ${host.state}` : 'host is Disabled' };
  }
  if (!latest) return { action: 'dry-run', reason: 'new host already Enabled: report drift only' };
  if (
    host.state === 'Up' &&
    host.resourceState === 'Enabled' &&
    (latest.phase === 'verified' || latest.phase === 'no-op') &&
    latest.reason?.startsWith(NOT_ENABLED) &&
    latest.relabelRolloutId === undefined &&
    sameSpec()
  ) {
    // Its run verified this very spec and hostnet left the enable to the operator (their maintenance): they
    // ended it, so the record says so instead of "fix: end the maintenance" for ever. hostnet calls nothing.
    return { action: 'record-enabled', reason: `CloudStack shows the host Up and Enabled again since its run verified this spec (the operator ended the maintenance or enabled it); hostnet made no enable call` };
  }
  return { action: 'skip', reason: `host is ${host.state}/${host.resourceState}` };
}
