import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import type { HostStatusBrief } from '../hosts/host-status.types';
import { disabledByChoiceIn } from '../jobs/disabled-by-choice';

const NETWORK_MISSING_STATES = new Set(['Alert', 'Disconnected']);
const OPERATOR_OWNED = new Set(['Maintenance', 'PrepareForMaintenance', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance']);
/** `resolved`: an operator rolled this spec back by hand; re-running it is theirs to ask. */
const NEEDS_OPERATOR = new Set(['failed', 'rolled-back', 'enable-failed', 'resolved']);

/** True when the host's agent has lost its network (the poller and webhooks run such a host to repair it). */
export function isCutOff(host: KvmHost): boolean {
  return NETWORK_MISSING_STATES.has(host.state);
}

/**
 * Why a host is an operator's to run, not an automatic trigger's (the poller's, a webhook's), or undefined.
 * Only an operator's request runs such a host; whether that run may enable it is decided apart
 * (apps/api/src/triggers/run-allocation.ts).
 */
export function operatorHold(host: KvmHost, specHash: () => string, latest: HostStatusBrief | undefined): string | undefined {
  if (OPERATOR_OWNED.has(host.resourceState)) return `host is in ${host.resourceState}`;
  if (latest && NEEDS_OPERATOR.has(latest.phase) && latest.specHash === specHash()) {
    return `last run ${latest.phase} for this spec; an operator must force a re-run`;
  }
  if (host.resourceState !== 'Disabled' || isCutOff(host)) return undefined;
  const fix = `fix: enable it in CloudStack, or run it: hostnet configure --host ${host.id} (add --enable to have hostnet enable it once verified)`;
  const choice = latest ? disabledByChoiceIn(latest) : undefined;
  // hostnet enabled it and someone disabled it since: that is an operator's decision to respect.
  if (choice?.kind === 'enabled') return `disabled after hostnet enabled it; an operator must request a run; ${fix}`;
  // Whatever the step's phase: its spec hash is a step's, never the plain one, and the rollout left the host
  // Disabled on purpose (verified: as it was before; failed or rolled back: the rollout stopped there).
  if (choice?.kind === 'relabel') return `left Disabled by relabel rollout ${choice.rolloutId} (its last step here is ${choice.phase}); an operator must request a run; ${fix}`;
  if (choice?.kind === 'withheld') return choice.why;
  return undefined;
}
