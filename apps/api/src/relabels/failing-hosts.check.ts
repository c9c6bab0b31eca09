import type { HostPhase, HostStatusBrief } from '../hosts/host-status.types';
import { HostsWithTheSameProblem } from './relabel-layouts.check';

/**
 * Phases a host's latest hostnet record may end in that say its last run did not end well: its next run (the
 * rollout's expand) most likely fails the same way. `queued`/`applying` (a run in flight) and the good ends
 * (`verified`, `no-op`, `enabled`, a never-run host's `dry-run`) plan as before.
 */
const NOT_GOOD: ReadonlySet<HostPhase> = new Set<HostPhase>(['failed', 'rolled-back', 'enable-failed', 'resolved']);

/**
 * A host in scope whose latest run failed (a refusal, a rollback, an enable CloudStack refused, a stuck run an
 * operator resolved), or whose latest dry-run (a drift check's, an operator's) did not complete, is refused with
 * the plan, by host, naming that run's reason: the rollout would count it failed on its first step, reach
 * abortAfter and roll back every host that was fine, for a cause the plan could already see. (A trial's kvm3,
 * refused by its last run, aborted a five-host rollout that way; so did kvm2, unreachable by its last drift check.)
 * `hosts`: the plan's expand steps (or a planned rollout's hosts); `briefs`: the latest record of each, by host id.
 */
export function assertNoneFailing(hosts: readonly { hostId: string; hostName: string }[], briefs: ReadonlyMap<string, HostStatusBrief | undefined>): void {
  const problems = new HostsWithTheSameProblem();
  for (const step of hosts) {
    const brief = briefs.get(step.hostId);
    if (!brief || (!NOT_GOOD.has(brief.phase) && !brief.dryRunIncomplete)) continue;
    const why = brief.reason ? `: ${oneLine(brief.reason)}` : '';
    const what = NOT_GOOD.has(brief.phase) ? `is the phase of this host's latest hostnet run (${brief.at}${why})` : `this host's latest dry-run did not complete (${brief.at}${why})`;
    problems.add(
      `hosts.${step.hostName}`,
      NOT_GOOD.has(brief.phase) ? brief.phase : 'dry-run incomplete',
      `${what}, so the rollout's first step on it would most likely fail the same way, count towards abortAfter and roll back the hosts that were fine`,
      `fix what that run names, then run the host again (hostnet configure --host ${step.hostName}, or POST /hosts/${step.hostId}/configure) until hostnet hosts shows it verified or enabled, and plan again; or leave its cluster out of "scope" with outOfScope "leave-behind" (CLI --out-of-scope leave-behind)`,
    );
  }
  problems.throwIfAny();
}

/** A run's reason may span lines (a step's output): one line, capped, inside the plan's message. */
function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 600 ? `${flat.slice(0, 599)}…` : flat;
}
