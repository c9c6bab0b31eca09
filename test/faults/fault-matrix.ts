import type { KvmHostPersona } from '@hostnet/simulator/kvm-host';
import { FAULTS, until, type FaultContext, type FaultDef } from './fault-catalog';
import { FaultSession, type SessionHost } from './fault-session';
import { stepCalls } from './host-gates';
import { readTruth, sideOf, type HostTruth } from './host-truth';
import { settleAndJudge, type Trial, type Verdict } from './trial-judge';
import { sampleSteps, type StepSample } from './phase-gates';

export interface MatrixOptions {
  trials: number;
  persona: KvmHostPersona;
  /** Fault names to run (default: all). */
  faults?: string[];
  /** On-host rollback timer of the trial sessions, seconds. */
  rollbackSeconds: number;
  /** Longest a run may take to reach a final status before it counts as lost. */
  boundMs: number;
  /** Per-host trials running at once. */
  hostConcurrency: number;
  /** Step phases to inject at (default every step). */
  stepSample?: StepSample;
  log: (line: string) => void;
}

/** Trials that share one process-level event (each at its own phase). */
const TOGETHER_GROUP = 12;

/** A fault-free run of every host name the trials use: what "entirely new" means per host. */
interface Reference {
  truth: Map<string, HostTruth>;
  steps: Map<string, string[]>;
}

export interface MatrixResult {
  verdicts: Verdict[];
  /** The clean run's step commands, in order (step1 is the first). */
  steps: string[];
}

/** Runs the selected faults at every phase they apply to, `trials` times each, and judges every trial. */
export async function runFaultMatrix(options: MatrixOptions): Promise<MatrixResult> {
  const faults = selectFaults(options.faults);
  options.log(`probing ${options.persona}'s steps with one fault-free run`);
  const probe = await referenceRun(options, 1);
  const steps = probe.steps.get('kvm1') ?? [];
  const hostsNeeded = Math.max(...faults.map((f) => phasesOf(f, options, steps.length).length * options.trials));
  options.log(`steps: ${steps.map((s, i) => `step${i + 1}=${s}`).join(', ')}; reference run on ${hostsNeeded} hosts`);
  const reference = await referenceRun(options, hostsNeeded);
  const run = async (fault: FaultDef) => {
    const started = Date.now();
    const results = await runFault(fault, options, reference, steps.length);
    const bad = results.filter((v) => v.half || v.duplicate || v.lost || v.wrong);
    options.log(`${fault.name}: ${results.length} trials, ${bad.length} with a violation, ${Math.round((Date.now() - started) / 1000)} s`);
    for (const v of bad.slice(0, 3)) options.log(`  ${v.trial.phase} ${v.trial.host.name} (final ${v.finalPhase ?? 'none'}): ${v.evidence.join(' | ')}`);
    return results;
  };
  const background = Promise.all(faults.filter((f) => f.background).map(run));
  const verdicts: Verdict[][] = [];
  for (const fault of faults.filter((f) => !f.background)) verdicts.push(await run(fault));
  verdicts.push(...(await background));
  const order = (v: Verdict) => faults.findIndex((f) => f.name === v.trial.fault);
  return { verdicts: verdicts.flat().sort((a, b) => order(a) - order(b)), steps };
}

function selectFaults(names: string[] | undefined): FaultDef[] {
  if (!names) return FAULTS;
  const unknown = names.filter((n) => !FAULTS.some((f) => f.name === n));
  if (unknown.length > 0) throw new Error(`unknown fault ${unknown.join(', ')}; known: ${FAULTS.map((f) => f.name).join(', ')}`);
  return FAULTS.filter((f) => names.includes(f.name));
}

/** Configures `hosts` hosts without faults (a generous timer, so a busy machine rolls nothing back). */
async function referenceRun(options: MatrixOptions, hosts: number): Promise<Reference> {
  const session = await FaultSession.start({ hosts, persona: options.persona, rollbackSeconds: 60, workers: 1, privateRedis: false, env: { WORKER_CONCURRENCY: String(Math.max(16, hosts)) } });
  try {
    const before = new Map(session.hosts.map((h) => [h.name, readTruth(h.kvm.rootDir)]));
    await Promise.all(session.hosts.map((h) => session.configure(h.id, 'fault-matrix-reference')));
    const enabled = async (h: SessionHost) => (await session.view(h.id))?.latest.phase === 'enabled';
    const done = await until(async () => (await Promise.all(session.hosts.map(enabled))).every(Boolean), options.boundMs, 500);
    if (!done) throw new Error(`the fault-free reference run did not enable every host within ${options.boundMs} ms: the matrix has nothing to compare with`);
    const truth = new Map(session.hosts.map((h) => [h.name, readTruth(h.kvm.rootDir)]));
    for (const h of session.hosts) {
      const side = sideOf(truth.get(h.name)!, before.get(h.name)!, truth.get(h.name)!);
      if (side.files !== 'new' || truth.get(h.name)!.live === before.get(h.name)!.live) {
        throw new Error(`the reference run left ${h.name} with unchanged files or live state: no run to judge`);
      }
    }
    return { truth, steps: new Map(session.hosts.map((h) => [h.name, stepCalls(h.gates.calls())])) };
  } finally {
    await session.stop();
  }
}

async function runFault(fault: FaultDef, options: MatrixOptions, reference: Reference, stepCount: number): Promise<Verdict[]> {
  const phases = phasesOf(fault, options, stepCount);
  const session = await FaultSession.start({
    hosts: phases.length * options.trials,
    persona: options.persona,
    rollbackSeconds: fault.session?.rollbackSeconds ?? options.rollbackSeconds,
    workers: fault.session?.workers ?? 1,
    privateRedis: fault.session?.privateRedis ?? false,
    env: { WORKER_CONCURRENCY: String(Math.max(16, phases.length * options.trials)), ...fault.session?.env },
  });
  try {
    const ctx: FaultContext = {
      session,
      stepCalls: (host) => reference.steps.get(host.name) ?? [],
      trigger: async (host, tag = 'run') => {
        const status = await session.configure(host.id, `fault-${fault.name}-${tag}`);
        if (status !== 202) options.log(`${fault.name}: POST configure ${host.name} answered ${status}`);
      },
      log: options.log,
    };
    const trials: Trial[] = session.hosts.map((host, i) => ({
      fault: fault.name,
      phase: phases[Math.floor(i / options.trials)]!,
      host,
      before: readTruth(host.kvm.rootDir),
      reference: reference.truth.get(host.name)!,
      rules: [],
      startedAt: 0,
      boundMs: fault.boundMs ?? options.boundMs,
    }));
    const judge = (t: Trial) => settleAndJudge(session, t, fault.session?.rollbackSeconds ?? options.rollbackSeconds);
    if (fault.mode === 'host') {
      return await pool(trials, fault.concurrency ?? options.hostConcurrency, async (t) => {
        t.startedAt = Date.now();
        await fault.drive!(ctx, t);
        return judge(t);
      });
    }
    if (fault.mode === 'together') {
      // In groups: a 2-core machine cannot bring dozens of runs to their phases at once in time.
      const verdicts: Verdict[] = [];
      for (let i = 0; i < trials.length; i += TOGETHER_GROUP) {
        const group = trials.slice(i, i + TOGETHER_GROUP);
        group.forEach((t) => (t.startedAt = Date.now()));
        await fault.together!(ctx, group);
        verdicts.push(...(await Promise.all(group.map(judge))));
      }
      return verdicts;
    }
    const verdicts: Verdict[] = [];
    for (const phase of phases) {
      const wave = trials.filter((t) => t.phase === phase);
      wave.forEach((t) => (t.startedAt = Date.now()));
      await fault.wave!(ctx, phase, wave);
      verdicts.push(...(await Promise.all(wave.map(judge))));
    }
    return verdicts;
  } finally {
    await session.stop();
  }
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping their order. */
export async function pool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return results;
}

function phasesOf(fault: FaultDef, options: MatrixOptions, stepCount: number): string[] {
  return sampleSteps(fault.phases(stepCount), stepCount, options.stepSample ?? 'every');
}
