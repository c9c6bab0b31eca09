import { readRunState } from '../support/host-files';
import type { FaultSession, SessionHost } from './fault-session';
import type { CloudStackSimulator } from '@hostnet/simulator/cloudstack';
import { readTruth, sideOf, type HostTruth, type Side } from './host-truth';

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
  /** What the fault saw the host change a second time for one run (its evidence); counts as a duplicate mutation. */
  hostDuplicate?: string;
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
  const final = await settle(session, trial.host.id, trial.startedAt + trial.boundMs, () => hostQuiet(trial, rollbackSeconds));
  return judge(session, trial, final);
}

/** What settling a run needs from a session: api's view of the host and the queues. */
export interface SettleSource {
  view(hostId: string): Promise<{ latest: { phase: string; at: string } } | undefined>;
  inFlight(hostId: string): Promise<boolean | undefined>;
}

/**
 * The final api phase of the host's run once it has held for 1.5 s with the queues quiet and
 * `hostQuiet`, or undefined when `deadline` passes first (a lost job).
 */
export async function settle(session: SettleSource, hostId: string, deadline: number, hostQuiet: () => Promise<boolean>): Promise<string | undefined> {
  let stableSince: { at: string; since: number } | undefined;
  for (;;) {
    const latest = (await session.view(hostId))?.latest;
    const quietQueues = (await session.inFlight(hostId)) === false;
    const phase = latest?.phase;
    if (latest && phase && FINAL.has(phase) && quietQueues && (await hostQuiet())) {
      if (stableSince?.at === latest.at && Date.now() - stableSince.since > 1_500) return phase;
      if (stableSince?.at !== latest.at) stableSince = { at: latest.at, since: Date.now() };
    } else {
      stableSince = undefined;
    }
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 250));
  }
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
  const side = sideOf(readTruth(host.kvm.rootDir), trial.before, trial.reference);
  const injected = trial.injected ?? trial.rules.every((id) => host.gates.hit(id));
  return { trial, ...classify({ side, cloudstack: session.zone.cloudstack, hostId: host.id, final, boundMs: trial.boundMs, injected, ...(trial.hostDuplicate ? { hostDuplicate: trial.hostDuplicate } : {}) }) };
}

/** Everything a verdict is drawn from, whatever kind of host the trial ran on. */
export interface Observation {
  /** Where the host's files and live state stand between the old and the fault-free new config. */
  side: { files: Side; live: Side; evidence: string[] };
  /** The CloudStack simulator the run talked to (its recorded calls and host records). */
  cloudstack: Pick<CloudStackSimulator, 'calls' | 'state'>;
  hostId: string;
  /** api's final phase for the run; undefined when none came within the bound. */
  final: string | undefined;
  boundMs: number;
  injected: boolean;
  /** A second change of the host for one run that the fault saw itself (its evidence). */
  hostDuplicate?: string;
}

/**
 * The verdict: half-applied when files and live state are not both entirely old or entirely new;
 * a duplicate when CloudStack was reconnected/enabled more than once for a new host, or enabled at
 * all for an old one, or when the fault saw the host changed a second time for one run; lost without a final status; wrong when the status claims the other side or
 * CloudStack's Enabled disagrees with it.
 */
export function classify(o: Observation): Omit<Verdict, 'trial'> {
  const evidence: string[] = [];
  const hostSide = o.side.files === o.side.live ? o.side.files : 'mixed';
  const half = hostSide === 'mixed';
  if (half) evidence.push(`half-applied: ${o.side.evidence.join('; ')}`);

  const calls = o.cloudstack.calls.all().filter((c) => c.params['id'] === o.hostId && c.status === 200);
  const reconnects = calls.filter((c) => c.command === 'reconnectHost').length;
  const enables = calls.filter((c) => c.command === 'updateHost' && /^enable$/i.test(c.params['allocationstate'] ?? '')).length;
  const duplicateInCloudStack = hostSide === 'new' ? reconnects > 1 || enables > 1 : enables > 0;
  if (duplicateInCloudStack) evidence.push(`duplicate: ${reconnects} reconnectHost, ${enables} updateHost Enable, host ${hostSide}`);
  if (o.hostDuplicate) evidence.push(`duplicate on the host: ${o.hostDuplicate}`);
  const duplicate = duplicateInCloudStack || o.hostDuplicate !== undefined;

  const lost = o.final === undefined;
  if (lost) evidence.push(`lost: no final status within ${Math.round(o.boundMs / 1000)} s`);
  const resourceState = o.cloudstack.state.hosts.find((h) => h.id === o.hostId)?.resourceState;
  let wrong = false;
  if (o.final !== undefined) {
    const claims = CLAIMS_NEW.has(o.final) ? 'new' : CLAIMS_OLD.has(o.final) ? 'old' : 'unknown';
    const enabledClaim = ENABLED_IN_CLOUDSTACK.has(o.final);
    wrong = claims !== hostSide || enabledClaim !== (resourceState === 'Enabled');
    if (wrong) evidence.push(`wrong status: ${o.final} while the host is ${hostSide} and CloudStack shows it ${resourceState}`);
  }
  if (!o.injected) evidence.push('fault not injected at its phase (the gate never caught its call)');
  return { injected: o.injected, half, duplicate, lost, wrong, ...(o.final ? { finalPhase: o.final } : {}), evidence };
}
