import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabHost } from '../../lab/lab';
import { hostProcesses } from '../../lab/lab-power';
import { readLabTruth } from '../../lab/lab-truth';
import type { FaultSession } from '../fault-session';
import { sideOf, type HostTruth } from '../host-truth';
import { classify, settle, type Verdict } from '../trial-judge';
import type { LabSessionHost } from './lab-fault-catalog';

/** A lab trial to judge: where it ran, the host before it, and the same host after a fault-free run. */
export interface LabTrial {
  fault: string;
  phase: string;
  host: LabSessionHost;
  before: HostTruth;
  reference: HostTruth;
  injected: boolean;
  startedAt: number;
  boundMs: number;
}

/**
 * Waits until the trial's run has settled (final status, quiet queues, nothing of hostnet left
 * running on the host), then judges it exactly as a simulated trial is judged (trial-judge.ts), from
 * the host's own files and live state and the CloudStack simulator's recorded calls.
 */
export async function settleAndJudgeLab(lab: Lab, session: FaultSession<LabSessionHost>, trial: LabTrial): Promise<Omit<Verdict, 'trial'>> {
  const final = await settle(session, trial.host.id, trial.startedAt + trial.boundMs, () => labHostQuiet(trial.host.lab));
  const side = sideOf(await readLabTruth(lab, trial.host.lab), trial.before, trial.reference);
  const verdict = classify({ side, cloudstack: session.zone.cloudstack, hostId: trial.host.id, final, boundMs: trial.boundMs, injected: trial.injected });
  if (final === undefined) verdict.evidence.push(await whereItStopped(session, trial.host));
  return verdict;
}

/** For a lost run: what api, the queues and the host show at the end of the bound. */
async function whereItStopped(session: FaultSession<LabSessionHost>, host: LabSessionHost): Promise<string> {
  const latest = (await session.view(host.id))?.latest;
  const busy = await session.inFlight(host.id);
  let state = 'none';
  try {
    state = readFileSync(join(host.lab.stateDir, 'varlib.upper', 'hostnet', 'state.json'), 'utf8').trim();
  } catch {
    // no run recorded on the host
  }
  const procs = (await hostProcesses(host.lab, HOSTNET_PROCESS)).map((p) => p.cmdline.replace(/^sh -c [\s\S]* (hostnet-[a-z-]+)$/, '$1').slice(0, 100));
  return `api ${latest?.phase ?? 'none'} (${latest?.at ?? ''}), queues ${busy === undefined ? 'unknown' : busy ? 'busy' : 'quiet'}, host state ${state}, hostnet processes [${procs.join(', ')}]`;
}

/**
 * A hostnet process on a host: a script (`sh -c SCRIPT hostnet-<name>`) or anything run from
 * /var/lib/hostnet (the rollback timer, a restore). Not the lab's own daemons, whose command lines
 * name the lab's state dir (/run/hostnet-lab-…).
 */
const HOSTNET_PROCESS = 'hostnet-[a-z-]+$|/var/lib/hostnet/';

/**
 * Nothing of hostnet runs on the host (no script, step or timer), or what is left is an armed run
 * whose deadline passed more than 5 s ago (its timer is gone: only the next contact ends it).
 */
export async function labHostQuiet(host: LabHost): Promise<boolean> {
  let state: { phase?: string; deadline?: string } = {};
  try {
    state = JSON.parse(readFileSync(join(host.stateDir, 'varlib.upper', 'hostnet', 'state.json'), 'utf8')) as typeof state;
  } catch {
    // no run yet
  }
  if (state.phase === 'armed' || state.phase === 'rolling-back') return state.phase === 'armed' && Date.now() > Number(state.deadline) * 1000 + 5_000;
  return (await hostProcesses(host, HOSTNET_PROCESS)).length === 0;
}
