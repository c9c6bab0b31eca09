import type { KvmHost } from '@hostnet/cloudstack';
import type { RunAllocation } from '@hostnet/contracts';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { disabledByChoiceIn } from '../jobs/disabled-by-choice';

/**
 * Whether a verified run of this host may enable it, as decided when it is triggered. hostnet enables a
 * host that is Disabled by its own flow (added Disabled, waiting for its network); a host someone chose to
 * have Disabled is configured and left Disabled unless the operator asks (`enable`). `history` is the host's,
 * newest first: the newest record that says anything about the host's allocation decides.
 */
export function runAllocation(host: KvmHost, history: readonly HostStatusRecord[], askedToEnable: boolean): RunAllocation {
  const atTrigger = host.resourceState;
  if (askedToEnable) return { atTrigger, enable: true, asked: true };
  if (atTrigger !== 'Disabled') return { atTrigger, enable: true };
  const why = disabledByChoice(history);
  if (!why) return { atTrigger, enable: true };
  const fix = `fix: enable it in CloudStack, or configure it with "enable": true (hostnet configure --host ${host.id} --enable) to have hostnet enable it after a verified run`;
  return { atTrigger, enable: false, withheld: why.includes('fix:') ? why : `${why}; ${fix}` };
}

/**
 * A re-run's allocation (api re-runs a verified host whose spec changed meanwhile): it stands for the run it
 * re-runs, so it keeps that run's allocation at the trigger and enables only if both may. A host Enabled
 * when the first run was triggered and Disabled since is not enabled by its re-run either.
 */
export function rerunAllocation(original: RunAllocation | undefined, fresh: RunAllocation): RunAllocation {
  if (!original) return fresh;
  if (!original.enable) return original;
  if (original.asked) return original;
  return { ...fresh, atTrigger: original.atTrigger };
}

/** The newest record that says anything of the host's allocation decides (jobs/disabled-by-choice.ts). */
function disabledByChoice(history: readonly HostStatusRecord[]): string | undefined {
  for (const record of history) {
    const choice = disabledByChoiceIn({ ...record, ...(record.relabel ? { relabelRolloutId: record.relabel.rolloutId } : {}) });
    if (choice?.kind === 'enabled') return `the host was disabled in CloudStack after hostnet enabled it (${choice.at})`;
    if (choice?.kind === 'relabel') return `the host is Disabled after relabel rollout ${choice.rolloutId} ran it (a rollout gives each host back the state it had)`;
    if (choice?.kind === 'withheld') return choice.why;
  }
  return undefined;
}
