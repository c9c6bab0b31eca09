import { readRunState } from '../support/host-files';
import type { FaultSession, SessionHost } from './fault-session';
import { readTruth, sideOf, type HostTruth } from './host-truth';

/** One host run with one fault injected at one phase. */
export interface Trial {
  fault: string;
  phase: string;
  host: SessionHost;
  /** The host before the run, and as a fault-free run leaves the same host. */
  before: HostTruth;
  reference: HostTruth;
  /** Gate rule ids that must be hit for the fault to count as injected at its phase. */
  rules: string[];
  /** Set when the fault was injected some other way (a process-level event, a second trigger…). */
  injected?: boolean;
  startedAt: number;
  boundMs: number;
}

export interface Verdict {
  trial: Trial;
  injected: boolean;
  half: boolean;
  duplicate: boolean;
  lost: boolean;
  wrong: boolean;
  finalPhase?: string;
  evidence: string[];
}

/** api phases after which nothing more happens to a run. */
const FINAL = new Set(['enabled', 'enable-failed', 'failed', 'rolled-back']);
/** Final phases that claim the new configuration is in place, and those that claim the old one is. */
const CLAIMS_NEW = new Set(['enabled', 'enable-failed']);
const CLAIMS_OLD = new Set(['failed', 'rolled-back']);
const ENABLED_IN_CLOUDSTACK = new Set(['enabled']);

/**
 * Waits until the trial's run has settled (a final status in api's history, nothing left in the
 * queues for the host, the host's own rollback timer run out), then judges it from the host and the
 * CloudStack simulator only.
 */
export async function settleAndJudge(session: FaultSession, trial: Trial, rollbackSeconds: number): Promise<Verdict> {
  const deadline = trial.startedAt + trial.boundMs;
  let final: string | undefined;
  let stableSince: { at: string; since: number } | undefined;
  for (;;) {
    const view = await session.view(trial.host.id);
    const latest = view?.latest;
    const quietQueues = (await session.inFlight(trial.host.id)) === false;
    const phase = latest?.phase;
    if (latest && phase && FINAL.has(phase) && quietQueues && (await hostQuiet(trial, rollbackSeconds))) {
      if (stableSince?.at === latest.at && Date.now() - stableSince.since > 1_500) {
        final = phase;
        break;
      }
      if (stableSince?.at !== latest.at) stableSince = { at: latest.at, since: Date.now() };
    } else {
      stableSince = undefined;
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return judge(session, trial, final);
}

/**
 * Nothing runs on the host any more (no script, step or timer: a hung step counts until its timeout
 * ends it), or what is left is an armed run whose deadline passed long ago (its timer is gone).
 */
async function hostQuiet(trial: Trial, rollbackSeconds: number): Promise<boolean> {
  const state = readRunState(trial.host.kvm.rootDir);
  const armed = state !== undefined && ['armed', 'rolling-back'].includes(state.phase);
  const deadline = Number(state?.deadline) * 1000 || trial.startedAt + rollbackSeconds * 1000;
  if (armed && Date.now() > deadline + 5_000) return true;
  return !armed && (await trial.host.kvm.faults.processes()).length === 0;
}

function judge(session: FaultSession, trial: Trial, final: string | undefined): Verdict {
  const { host } = trial;
  const evidence: string[] = [];
  const side = sideOf(readTruth(host.kvm.rootDir), trial.before, trial.reference);
  const hostSide = side.files === side.live ? side.files : 'mixed';
  const half = hostSide === 'mixed';
  if (half) evidence.push(`half-applied: ${side.evidence.join('; ')}`);

  const calls = session.zone.cloudstack.calls.all().filter((c) => c.params['id'] === host.id && c.status === 200);
  const reconnects = calls.filter((c) => c.command === 'reconnectHost').length;
  const enables = calls.filter((c) => c.command === 'updateHost' && /^enable$/i.test(c.params['allocationstate'] ?? '')).length;
  const duplicate = hostSide === 'new' ? reconnects > 1 || enables > 1 : enables > 0;
  if (duplicate) evidence.push(`duplicate: ${reconnects} reconnectHost, ${enables} updateHost Enable, host ${hostSide}`);

  const lost = final === undefined;
  if (lost) evidence.push(`lost: no final status within ${Math.round(trial.boundMs / 1000)} s`);
  const resourceState = session.zone.cloudstack.state.hosts.find((h) => h.id === host.id)?.resourceState;
  let wrong = false;
  if (final !== undefined) {
    const claims = CLAIMS_NEW.has(final) ? 'new' : CLAIMS_OLD.has(final) ? 'old' : 'unknown';
    const enabledClaim = ENABLED_IN_CLOUDSTACK.has(final);
    wrong = claims !== hostSide || enabledClaim !== (resourceState === 'Enabled');
    if (wrong) evidence.push(`wrong status: ${final} while the host is ${hostSide} and CloudStack shows it ${resourceState}`);
  }
  const injected = trial.injected ?? trial.rules.every((id) => host.gates.hit(id));
  if (!injected) evidence.push('fault not injected at its phase (the gate never caught its call)');
  return { trial, injected, half, duplicate, lost, wrong, ...(final ? { finalPhase: final } : {}), evidence };
}
