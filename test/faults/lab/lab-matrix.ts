import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lab, type LabHost, type LabPersona } from '../../lab/lab';
import type { Judged } from '../matrix-report';
import { LAB_FAULTS, type LabFaultDef } from './lab-fault-catalog';
import type { LabReference, LabRoundConfig, LabRoundReport, LabVerdictRow } from './lab-round.types';
import { STEP_PHASES, stepOf } from './lab-steps';

export interface LabMatrixOptions {
  trials: number;
  /** Fault names to run (default: every lab fault); names only the simulated matrix knows are skipped. */
  faults?: string[];
  /** Lab hosts per round (each trial gets a fresh host): trials running at once. */
  hostsPerRound: number;
  boundMs: number;
  /** The on-host rollback window of the lab runs. */
  rollbackSeconds: number;
  log: (line: string) => void;
}

/** Real lab hosts, cycled: CentOS 7 (network-scripts) and Ubuntu 22.04 with ifupdown, both OVS. */
const PERSONAS: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown'];
const STATE_DIR = '/run/hostnet-lab-faults';
const PREFIX = 'hnf';
const DRIVER = join(__dirname, 'lab-round.driver.js');

/** Labs up right now, so an interrupted run can take them down (faults.main.ts). */
export const runningLabs = new Set<Lab>();

export interface LabMatrixResult {
  verdicts: Judged[];
  /** What each step phase means on each persona. */
  header: string[];
}

/**
 * The faults that make sense on real hosts, at every phase a lab gate can hold (lab-gates.ts), on
 * fresh lab hosts: one fault-free reference round, then rounds of at most `hostsPerRound` trials,
 * each on a lab brought up for it and taken down after, each round's client side (simulator,
 * Redis, api, worker) in the lab namespace (lab-round.driver.ts).
 */
export async function runLabMatrix(options: LabMatrixOptions): Promise<LabMatrixResult> {
  const faults = options.faults ? LAB_FAULTS.filter((f) => options.faults!.includes(f.name)) : LAB_FAULTS;
  const perPersona = Math.max(1, Math.floor(options.hostsPerRound / PERSONAS.length));
  const hostsPerRound = perPersona * PERSONAS.length;
  options.log(`lab: reference run on ${hostsPerRound} hosts (${PERSONAS.join(', ')}, OVS)`);
  const { reference, hosts } = await referenceRound(hostsPerRound, options);
  const sample = (persona: LabPersona) => hosts.find((h) => h.persona === persona)!;
  const header = PERSONAS.map((p) => {
    const steps = reference[sample(p).name]!.steps;
    return `lab ${p} (${sample(p).netcfg}, OVS, ${steps.length} steps): ${STEP_PHASES.map((ph) => `${ph} = ${stepOf(ph, steps)!.name}`).join(', ')}`;
  });
  const verdicts: Judged[] = [];
  for (const fault of faults) {
    const started = Date.now();
    const planned = plan(fault, options.trials, (p) => ({ host: sample(p), steps: reference[sample(p).name]!.steps }));
    const rows: LabVerdictRow[] = [];
    for (let i = 0; i < planned.length; i += hostsPerRound) {
      rows.push(...(await faultRound(fault, planned.slice(i, i + hostsPerRound), perPersona, reference, options)));
    }
    const bad = rows.filter((r) => r.half || r.duplicate || r.lost || r.wrong);
    options.log(`lab ${fault.name}: ${rows.length} trials, ${bad.length} with a violation, ${rows.filter((r) => !r.injected).length} not injected, ${Math.round((Date.now() - started) / 1000)} s`);
    for (const r of bad.slice(0, 3)) options.log(`  ${r.phase} ${r.host} (final ${r.finalPhase ?? 'none'}): ${r.evidence.join(' | ')}`);
    verdicts.push(...rows.map(judged));
  }
  return { verdicts, header };
}

/** Trials of one fault: every phase it applies to, on every persona, `trials` times. */
function plan(fault: LabFaultDef, trials: number, on: (p: LabPersona) => { host: LabHost; steps: LabReference['steps'] }): { phase: string; persona: LabPersona }[] {
  return fault.phases.flatMap((phase) =>
    PERSONAS.filter((p) => fault.applies?.(phase, on(p).host, on(p).steps) ?? true).flatMap((persona) => Array.from({ length: trials }, () => ({ phase, persona }))),
  );
}

async function referenceRound(hosts: number, options: LabMatrixOptions): Promise<{ reference: Record<string, LabReference>; hosts: LabHost[] }> {
  return withLab(hosts, async (lab) => {
    const report = await runRound(lab, { stateDir: lab.inventory.stateDir, mode: 'reference', boundMs: options.boundMs, rollbackSeconds: options.rollbackSeconds }, options.log);
    return { reference: report.reference!, hosts: lab.inventory.hosts };
  });
}

/** One round: each trial on its own host of the trial's persona (hosts cycle through PERSONAS). */
async function faultRound(fault: LabFaultDef, trials: { phase: string; persona: LabPersona }[], perPersona: number, reference: Record<string, LabReference>, options: LabMatrixOptions): Promise<LabVerdictRow[]> {
  const used = new Map<LabPersona, number>();
  const assigned = trials.map((t) => {
    const k = used.get(t.persona) ?? 0;
    used.set(t.persona, k + 1);
    if (k >= perPersona) throw new Error(`round over-full for ${t.persona}`);
    return { ...t, index: k * PERSONAS.length + PERSONAS.indexOf(t.persona) + 1 };
  });
  const size = Math.max(...assigned.map((t) => t.index));
  return withLab(size, async (lab) => {
    const name = (index: number) => lab.inventory.hosts[index - 1]!.name;
    const config: LabRoundConfig = {
      stateDir: lab.inventory.stateDir,
      mode: 'fault',
      fault: fault.name,
      trials: assigned.map((t) => ({ host: name(t.index), phase: t.phase })),
      reference,
      boundMs: options.boundMs,
      rollbackSeconds: options.rollbackSeconds,
    };
    return (await runRound(lab, config, options.log)).verdicts!;
  });
}

async function withLab<T>(hosts: number, fn: (lab: Lab) => Promise<T>): Promise<T> {
  const lab = await Lab.up({ hosts, personas: PERSONAS, ovs: 'all', stateDir: STATE_DIR, prefix: PREFIX });
  runningLabs.add(lab);
  try {
    return await fn(lab);
  } finally {
    await lab.down();
    runningLabs.delete(lab);
  }
}

/** Runs the round's driver inside the lab namespace, its stderr passed on as it comes. */
async function runRound(lab: Lab, config: LabRoundConfig, log: (line: string) => void): Promise<LabRoundReport> {
  const path = join(lab.inventory.stateDir, `round-${Date.now()}.json`);
  writeFileSync(path, JSON.stringify(config), { mode: 0o600 });
  try {
    const child = spawn('ip', ['netns', 'exec', lab.inventory.labNamespace, process.execPath, DRIVER, path], {
      env: { ...process.env, TMPDIR: lab.inventory.stateDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let tail = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => {
      tail = (tail + b.toString('utf8')).slice(-5000);
      err += b.toString('utf8');
      const lines = err.split('\n');
      err = lines.pop()!;
      lines.filter((l) => l.startsWith('[lab-round]')).forEach((l) => log(l.slice('[lab-round] '.length)));
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const line = out.split('\n').find((l) => l.startsWith('LAB-ROUND '));
    if (code !== 0 || !line) throw new Error(`lab round (${config.mode} ${config.fault ?? ''}) exited ${code}: ${tail.slice(-3000)}`);
    return JSON.parse(line.slice('LAB-ROUND '.length)) as LabRoundReport;
  } finally {
    rmSync(path, { force: true });
  }
}

/** A lab row as the matrix report takes it: the host named with its persona. */
function judged(r: LabVerdictRow): Judged {
  const { fault, phase, host, persona, ...verdict } = r;
  return { trial: { fault, phase, host: { name: `${host}/${persona}` } }, ...verdict };
}
