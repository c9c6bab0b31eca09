import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaultSession, SessionHost } from './fault-session';
import { CLOUDSTACK_PHASES, failedWriteRule, hostPhases, phaseRule } from './phase-gates';

/** What a fault's driver gets: the session and how to reach each host's clean-run steps. */
export interface FaultContext {
  session: FaultSession;
  stepCalls: (host: SessionHost) => string[];
  /** Starts the host's run (POST /hosts/:id/configure) tagged for this trial. */
  trigger: (host: SessionHost, tag?: string) => Promise<void>;
  log: (line: string) => void;
}

/** One trial as a driver sees it: arm gates (rule ids go in `rules`), mark `injected` for other means. */
export interface TrialHandle {
  host: SessionHost;
  phase: string;
  rules: string[];
  injected?: boolean;
  /** A second change of the host for one run, seen by the fault itself (its evidence): a duplicate mutation. */
  hostDuplicate?: string;
}

/** A process-level event; what it returns runs once the paused hosts are released. */
type WaveEvent = () => Promise<void | (() => Promise<void>)>;

export interface FaultDef {
  name: string;
  phases: (steps: number) => string[];
  /** Session shape: a second worker, the private restartable Redis, extra env. */
  session?: { workers?: number; privateRedis?: boolean; env?: Record<string, string>; rollbackSeconds?: number };
  /** Longest a trial may take to reach a final status (default: the matrix's bound). */
  boundMs?: number;
  /** Trials of a `host` fault running at once (default: the matrix's); hangs mostly wait. */
  concurrency?: number;
  /** Runs alongside the other faults instead of after them: its trials spend their time waiting. */
  background?: boolean;
  /**
   * `host`: each trial drives its own fault (`drive`), many at once. `wave`: the trials of one phase
   * run together (`wave`), one phase after the other. `together`: every trial, each at its own
   * phase, gets one process-level event at once (`together`), e.g. a worker SIGKILL: a job is hit once.
   */
  mode: 'host' | 'wave' | 'together';
  drive?: (ctx: FaultContext, trial: TrialHandle) => Promise<void>;
  wave?: (ctx: FaultContext, phase: string, trials: TrialHandle[]) => Promise<void>;
  together?: (ctx: FaultContext, trials: TrialHandle[]) => Promise<void>;
}

export const CS_COMMAND: Record<string, string> = { reconnect: 'reconnectHost', enable: 'updateHost' };
/** CloudStack client timeout in the timeout fault's session, and how late the simulator answers there. */
export const CS_TIMEOUT_MS = 2_000;
/** Rollback timer where all trials wait at their phases for one event. */
const TOGETHER_ROLLBACK_SECONDS = 20;

export const FAULTS: FaultDef[] = [
  {
    name: 'sigkill-worker',
    mode: 'together',
    // Every host waits at its phase until the last one gets there: a timer long enough to outlast that.
    session: { rollbackSeconds: TOGETHER_ROLLBACK_SECONDS },
    phases: hostPhases,
    together: (ctx, trials) =>
      atPhases(ctx, trials, async () => {
        await ctx.session.killWorkers();
        await ctx.session.startWorker();
      }),
  },
  {
    name: 'ssh-drop',
    mode: 'host',
    phases: hostPhases,
    drive: async (ctx, t) => {
      t.rules.push(t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'drop')));
      await ctx.trigger(t.host);
    },
  },
  {
    name: 'host-reboot',
    mode: 'host',
    phases: hostPhases,
    drive: async (ctx, t) => {
      const id = t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'pause'));
      t.rules.push(id);
      await ctx.trigger(t.host);
      if (await until(() => t.host.gates.hit(id), 60_000)) await t.host.kvm.faults.reboot();
      t.host.gates.release(id);
    },
  },
  {
    name: 'write-fails',
    mode: 'host',
    phases: () => ['backup', 'write'],
    drive: async (ctx, t) => {
      // The first backup copy fails; the second file's move into place fails, so one is already written.
      t.rules.push(t.host.gates.arm(t.phase === 'backup' ? phaseRule('backup', [], 'fail') : failedWriteRule(2)));
      await ctx.trigger(t.host);
    },
  },
  {
    name: 'step-fails',
    mode: 'host',
    phases: (steps) => hostPhases(steps).filter((p) => p.startsWith('step')),
    drive: async (ctx, t) => {
      t.rules.push(t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'fail')));
      await ctx.trigger(t.host);
    },
  },
  {
    name: 'step-hangs',
    mode: 'host',
    // The step never returns: only the on-host step timeout (120 s today) ends it.
    boundMs: 300_000,
    concurrency: 64,
    background: true,
    phases: (steps) => hostPhases(steps).filter((p) => p.startsWith('step')),
    drive: async (ctx, t) => {
      t.rules.push(t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'hang')));
      await ctx.trigger(t.host);
    },
  },
  {
    name: 'two-triggers',
    mode: 'host',
    session: { workers: 2 },
    phases: (steps) => [...hostPhases(steps), 'enable'],
    drive: async (ctx, t) => {
      if (t.phase === 'enable') {
        await ctx.trigger(t.host, 'first');
        t.injected = await until(async () => ENABLING.has((await ctx.session.view(t.host.id))?.latest.phase ?? ''), 60_000, 50);
        await ctx.trigger(t.host, 'second');
        return;
      }
      const id = t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'pause'));
      t.rules.push(id);
      await ctx.trigger(t.host, 'first');
      if (await until(() => t.host.gates.hit(id), 60_000)) await ctx.trigger(t.host, 'second');
      t.host.gates.release(id);
    },
  },
  {
    name: 'worker-stall',
    mode: 'together',
    // The worker stops (SIGSTOP) with its apply held at the host; once its jobs' BullMQ locks run out, a fresh worker
    // takes them and runs the hosts through to enabled; then the held applies go on and the old worker wakes. Each
    // host must refuse the payload planned from facts it no longer matches (else the run changed the host twice: a
    // duplicate), and the old worker must report nothing: the verdicts then judge the fresh worker's runs.
    session: { rollbackSeconds: TOGETHER_ROLLBACK_SECONDS, env: { WORKER_STALLED_INTERVAL_MS: '2000' } },
    boundMs: 240_000,
    phases: () => ['apply'],
    together: (ctx, trials) =>
      atPhases(ctx, trials, async () => {
        const stalled = [...ctx.session.workers];
        for (const worker of stalled) worker.signal('SIGSTOP');
        await ctx.session.startWorker();
        const final = async (t: TrialHandle) => FINAL_PHASES.has((await ctx.session.view(t.host.id))?.latest.phase ?? '');
        if (!(await until(async () => (await Promise.all(trials.map(final))).every(Boolean), 120_000, 500))) ctx.log('worker-stall: the fresh worker did not finish every host');
        return async () => {
          await until(() => trials.every((t) => refusedAsStale(t.host)), 15_000, 100);
          for (const t of trials) {
            if (!refusedAsStale(t.host)) t.hostDuplicate = "the stalled worker's apply, planned before the fresh worker's run, was not refused as stale";
          }
          for (const worker of stalled) worker.signal('SIGCONT');
        };
      }),
  },
  {
    name: 'redis-restart',
    mode: 'together',
    session: { privateRedis: true, rollbackSeconds: TOGETHER_ROLLBACK_SECONDS },
    phases: (steps) => [...hostPhases(steps), ...CLOUDSTACK_PHASES],
    together: (ctx, trials) => atPhases(ctx, trials, () => ctx.session.privateRedis!.restart()),
  },
  {
    name: 'api-restart',
    mode: 'together',
    session: { rollbackSeconds: TOGETHER_ROLLBACK_SECONDS },
    phases: () => ['verify', 'confirm', ...CLOUDSTACK_PHASES],
    // api is down while the worker reports: the results wait in their queue for the restarted api.
    together: (ctx, trials) =>
      atPhases(ctx, trials, async () => {
        await ctx.session.killApi();
        return async () => {
          await sleep(3_000);
          await ctx.session.startApi();
        };
      }),
  },
  {
    name: 'cloudstack-5xx',
    mode: 'wave',
    phases: () => [...CLOUDSTACK_PHASES],
    wave: async (ctx, phase, trials) => {
      ctx.session.zone.cloudstack.faults.failNext(3 * trials.length, { command: CS_COMMAND[phase]! });
      await Promise.all(trials.map((t) => ((t.injected = true), ctx.trigger(t.host))));
    },
  },
  {
    name: 'cloudstack-timeout',
    mode: 'wave',
    session: { env: { CLOUDSTACK_TIMEOUT_MS: String(CS_TIMEOUT_MS) } },
    phases: () => [...CLOUDSTACK_PHASES],
    // Answered after the client gave up, with the effect applied: a retry must not apply it again.
    wave: async (ctx, phase, trials) => {
      ctx.session.zone.cloudstack.faults.slowNext(trials.length, CS_TIMEOUT_MS + 1_500, { command: CS_COMMAND[phase]! });
      await Promise.all(trials.map((t) => ((t.injected = true), ctx.trigger(t.host))));
    },
  },
];

/** api phases between a verified result and the enable: api is reconnecting or enabling the host. */
export const ENABLING = new Set(['applied', 'verified', 'no-op']);

/**
 * Runs every trial up to its phase and fires `event` once while all of them are there: paused at the
 * phase's gate on the host, or inside a CloudStack call made slow for the purpose (api has recorded
 * the verified result and is reconnecting or enabling). What `event` returns runs after the release.
 */
/** api phases after which nothing more happens to a run. */
const FINAL_PHASES = new Set(['enabled', 'enable-failed', 'failed', 'rolled-back']);

/** Whether a run on the host answered `stale`: its journal ends `failed stale`. */
function refusedAsStale(host: SessionHost): boolean {
  const backups = join(host.kvm.rootDir, 'var/lib/hostnet/backups');
  let runs: string[];
  try {
    runs = readdirSync(backups);
  } catch {
    return false;
  }
  return runs.some((run) => {
    try {
      return / failed stale\n/.test(readFileSync(join(backups, run, 'journal'), 'utf8'));
    } catch {
      return false;
    }
  });
}

async function atPhases(ctx: FaultContext, trials: TrialHandle[], event: WaveEvent): Promise<void> {
  const onHost = trials.filter((t) => !CS_COMMAND[t.phase]);
  const inCloudStack = trials.filter((t) => CS_COMMAND[t.phase]);
  for (const phase of new Set(inCloudStack.map((t) => t.phase))) {
    ctx.session.zone.cloudstack.faults.slowNext(inCloudStack.filter((t) => t.phase === phase).length, 20_000, { command: CS_COMMAND[phase]! });
  }
  const ids = onHost.map((t) => {
    const id = t.host.gates.arm(phaseRule(t.phase, ctx.stepCalls(t.host), 'pause'));
    t.rules.push(id);
    return id;
  });
  for (const t of trials) await ctx.trigger(t.host);
  const enabling = async (t: TrialHandle) => (t.injected ||= ENABLING.has((await ctx.session.view(t.host.id))?.latest.phase ?? ''));
  await until(async () => onHost.every((t, i) => t.host.gates.hit(ids[i]!)) && (await Promise.all(inCloudStack.map(enabling))).every(Boolean), 45_000, 50);
  if (inCloudStack.length > 0) await sleep(800);
  const followUp = await event();
  onHost.forEach((t, i) => t.host.gates.release(ids[i]!));
  if (followUp) await followUp();
}

/** Polls `check` until true or `ms` pass; whether it became true. */
export async function until(check: () => boolean | Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
