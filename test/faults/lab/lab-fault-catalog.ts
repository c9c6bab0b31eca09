import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabHost } from '../../lab/lab';
import { dropSshSessions, rebootHost } from '../../lab/lab-power';
import { CS_COMMAND, CS_TIMEOUT_MS, ENABLING, until } from '../fault-catalog';
import type { FaultSession } from '../fault-session';
import { CLOUDSTACK_PHASES } from '../phase-gates';
import { journal, LabGate } from './lab-gates';
import type { StepInfo } from './lab-round.types';
import { gatePhase, STEP_PHASES, stepFaultFile, stepOf } from './lab-steps';

/** A lab host as a trial uses it: api's id for it and its inventory entry. */
export interface LabSessionHost {
  name: string;
  id: string;
  lab: LabHost;
}

/** One trial as a lab fault's driver sees it; `injected` says whether the fault hit its phase. */
export interface LabTrialHandle {
  host: LabSessionHost;
  phase: string;
  /** The host's fault-free run's steps. */
  steps: StepInfo[];
  injected?: boolean;
}

export interface LabFaultContext {
  lab: Lab;
  session: FaultSession<LabSessionHost>;
  trigger: (host: LabSessionHost) => Promise<void>;
  log: (line: string) => void;
}

export interface LabFaultDef {
  name: string;
  phases: readonly string[];
  /** Whether the fault can be injected at `phase` on this host (default: yes). */
  applies?: (phase: string, host: LabHost, steps: StepInfo[]) => boolean;
  /** Extra env for api and worker in this fault's rounds. */
  env?: Record<string, string>;
  boundMs?: number;
  /**
   * `host`: one trial per host, each on its own. `together`: the round's trials at once, each at its
   * own phase, e.g. one worker SIGKILL hitting every run where it stands.
   */
  mode: 'host' | 'together';
  drive?: (ctx: LabFaultContext, trial: LabTrialHandle) => Promise<void>;
  together?: (ctx: LabFaultContext, trials: LabTrialHandle[]) => Promise<void>;
}

/** Phases of a run on a real host that a lab gate can hold (CloudStack's come after). */
export const LAB_HOST_PHASES = ['facts', 'backup', 'write', ...STEP_PHASES, 'verify', 'confirm'] as const;

const GATE_WAIT_MS = 60_000;

export const LAB_FAULTS: LabFaultDef[] = [
  {
    name: 'sigkill-worker',
    mode: 'together',
    phases: [...LAB_HOST_PHASES, ...CLOUDSTACK_PHASES],
    together: (ctx, trials) =>
      atPhases(ctx, trials, async () => {
        await ctx.session.killWorkers();
        await ctx.session.startWorker();
      }),
  },
  {
    name: 'ssh-drop',
    mode: 'host',
    phases: LAB_HOST_PHASES,
    drive: (ctx, t) => withGate(ctx, t, () => dropSshSessions(ctx.lab, t.host.name)),
  },
  {
    name: 'host-reboot',
    mode: 'host',
    phases: LAB_HOST_PHASES,
    drive: (ctx, t) =>
      withGate(ctx, t, async () => {
        const { boot } = await rebootHost(ctx.lab, t.host.name);
        if (boot && boot.code !== 0) ctx.log(`host-reboot ${t.host.name}: boot hook exited ${boot.code}: ${boot.output.slice(-300)}`);
      }),
  },
  {
    name: 'step-fails',
    mode: 'host',
    phases: ['mgmt-step', 'last-step'],
    applies: (phase, host, steps) => stepFaultFile('fail', host, stepOf(phase, steps)) !== undefined,
    drive: (ctx, t) => stepFault(ctx, t, 'fail', 90_000),
  },
  {
    name: 'step-hangs',
    mode: 'host',
    phases: ['mgmt-step', 'last-step'],
    // only the on-host step timeout (120 s) ends the step
    boundMs: 330_000,
    applies: (phase, host, steps) => stepFaultFile('hang', host, stepOf(phase, steps)) !== undefined,
    drive: (ctx, t) => stepFault(ctx, t, 'hang', 240_000),
  },
  {
    name: 'cloudstack-5xx',
    mode: 'together',
    phases: CLOUDSTACK_PHASES,
    together: async (ctx, trials) => {
      for (const [command, n] of perCommand(trials)) ctx.session.zone.cloudstack.faults.failNext(3 * n, { command });
      await Promise.all(trials.map((t) => ((t.injected = true), ctx.trigger(t.host))));
    },
  },
  {
    name: 'cloudstack-timeout',
    mode: 'together',
    env: { CLOUDSTACK_TIMEOUT_MS: String(CS_TIMEOUT_MS) },
    phases: CLOUDSTACK_PHASES,
    // answered after the client gave up, with the effect applied: a retry must not apply it again
    together: async (ctx, trials) => {
      for (const [command, n] of perCommand(trials)) ctx.session.zone.cloudstack.faults.slowNext(n, CS_TIMEOUT_MS + 1_500, { command });
      await Promise.all(trials.map((t) => ((t.injected = true), ctx.trigger(t.host))));
    },
  },
];

/** Holds the trial's host at its phase, runs `fault` there if the run got there, then lets it go. */
async function withGate(ctx: LabFaultContext, t: LabTrialHandle, fault: () => Promise<unknown>): Promise<void> {
  const gate = new LabGate(ctx.lab, t.host.lab, gatePhase(t.phase, t.steps));
  await ctx.trigger(t.host);
  t.injected = await gate.reached(GATE_WAIT_MS);
  if (t.injected) await fault();
  await gate.release();
}

/** Arms the step's one-shot lab fault and runs; injected once the journal shows the step ended badly. */
async function stepFault(ctx: LabFaultContext, t: LabTrialHandle, kind: 'fail' | 'hang', waitMs: number): Promise<void> {
  const step = stepOf(t.phase, t.steps)!;
  await ctx.lab.hostExec(t.host.lab, ['touch', stepFaultFile(kind, t.host.lab, step)!]);
  await ctx.trigger(t.host);
  const ended = new RegExp(`^step-end ${step.name} (\\d+)$`);
  const code = async () => {
    const rc = latestJournal(t.host.lab).map((e) => ended.exec(e)?.[1]).find((c) => c !== undefined);
    return rc !== undefined && rc !== '0';
  };
  t.injected = await until(code, waitMs, 250);
}

/** Journal of the host's newest run. */
function latestJournal(host: LabHost): string[] {
  const dir = join(host.stateDir, 'varlib.upper', 'hostnet', 'backups');
  try {
    const newest = readdirSync(dir).sort((a, b) => statSync(join(dir, b)).mtimeMs - statSync(join(dir, a)).mtimeMs)[0];
    return newest ? journal(join(dir, newest)) : [];
  } catch {
    return [];
  }
}

/** CloudStack commands the trials' phases stand for, with how many trials wait on each. */
function perCommand(trials: LabTrialHandle[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of trials) {
    const command = CS_COMMAND[t.phase];
    if (command) counts.set(command, (counts.get(command) ?? 0) + 1);
  }
  return counts;
}

/**
 * Runs every trial up to its phase and fires `event` once while all of them are there: held by its
 * lab gate, or inside a CloudStack call made slow for the purpose (api has recorded the verified
 * result and is reconnecting or enabling). The gates are released after the event.
 */
async function atPhases(ctx: LabFaultContext, trials: LabTrialHandle[], event: () => Promise<void>): Promise<void> {
  for (const [command, n] of perCommand(trials)) ctx.session.zone.cloudstack.faults.slowNext(n, 20_000, { command });
  const onHost = trials.filter((t) => !CS_COMMAND[t.phase]);
  const inCloudStack = trials.filter((t) => CS_COMMAND[t.phase]);
  const gates = onHost.map((t) => new LabGate(ctx.lab, t.host.lab, gatePhase(t.phase, t.steps)));
  for (const t of trials) await ctx.trigger(t.host);
  const enabling = async (t: LabTrialHandle) => ENABLING.has((await ctx.session.view(t.host.id))?.latest.phase ?? '');
  const [reached] = await Promise.all([
    Promise.all(gates.map((g) => g.reached(GATE_WAIT_MS))),
    until(async () => (await Promise.all(inCloudStack.map(enabling))).every(Boolean), 45_000, 50),
  ]);
  if (inCloudStack.length > 0) await new Promise((r) => setTimeout(r, 800));
  onHost.forEach((t, i) => (t.injected = reached[i]));
  for (const t of inCloudStack) t.injected = await enabling(t);
  await event();
  await Promise.all(gates.map((g) => g.release()));
}
