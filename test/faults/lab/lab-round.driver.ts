/**
 * One round of the lab fault matrix, run as `ip netns exec <lab ns> node lab-round.driver.js
 * CONFIG.json` (lab addresses are reachable only there): a CloudStack simulator seeded from the lab,
 * a private Redis, api and a worker as their built mains (so the worker can be SIGKILLed), then
 * either the fault-free reference run on every host or one fault's trials, one host each. Prints one
 * `LAB-ROUND {json}` line (lab-round.types.ts).
 */
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabZone } from '@hostnet/simulator/environment/lab-zone';
import { labProfilesYaml } from '../../lab/e2e/lab-profiles';
import { Lab } from '../../lab/lab';
import { readLabTruth, truthFromJson, truthToJson } from '../../lab/lab-truth';
import { pool } from '../fault-matrix';
import { FaultSession } from '../fault-session';
import { LAB_FAULTS, type LabFaultContext, type LabSessionHost, type LabTrialHandle } from './lab-fault-catalog';
import type { LabReference, LabRoundConfig, LabRoundReport, LabVerdictRow, StepInfo } from './lab-round.types';
import { settle } from '../trial-judge';
import { labHostQuiet, settleAndJudgeLab, type LabTrial } from './lab-trial-judge';

const log = (line: string) => process.stderr.write(`[lab-round] ${line}\n`);

async function main(): Promise<LabRoundReport> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LabRoundConfig;
  const lab = Lab.open(config.stateDir);
  const inventory = lab.inventory;
  const fault = config.mode === 'fault' ? LAB_FAULTS.find((f) => f.name === config.fault) : undefined;
  if (config.mode === 'fault' && !fault) throw new Error(`unknown lab fault ${config.fault}`);
  const zone = await LabZone.start({
    topologyPath: inventory.topologyPath,
    clientKeyPath: inventory.clientKeyPath,
    knownHostsPath: inventory.knownHostsPath,
    hosts: inventory.hosts,
    profilesYaml: labProfilesYaml(Object.fromEntries(inventory.hosts.map((h) => [h.name, 'ovs-bonded' as const]))),
    rollbackSeconds: config.rollbackSeconds,
  });
  const hosts: LabSessionHost[] = inventory.hosts.map((h) => ({ name: h.name, id: zone.cloudstack.state.hosts.find((r) => r.name === h.name)!.id, lab: h }));
  const session = await FaultSession.attach(zone, hosts, { workers: 1, env: { WORKER_CONCURRENCY: '16', ...fault?.env } });
  try {
    const ctx: LabFaultContext = {
      lab,
      session,
      log,
      trigger: async (host) => {
        const status = await session.configure(host.id, `lab-fault-${config.fault ?? 'reference'}`);
        if (status !== 202) log(`POST configure ${host.name} answered ${status}`);
      },
    };
    if (config.mode === 'reference') return { reference: await referenceRun(ctx, config) };
    const verdicts = await faultRound(ctx, config);
    if (verdicts.some((v) => v.lost) && process.env.HOSTNET_LAB_FAULTS_LOGS) {
      for (const w of session.workers) log(`worker output:\n${w.output.slice(-200).join('\n')}`);
    }
    return { verdicts };
  } catch (error) {
    for (const w of session.workers) log(`worker output (last lines):\n${w.output.slice(-40).join('\n')}`);
    throw error;
  } finally {
    await session.stop();
  }
}

/** Every host configured without a fault: what "entirely new" is for each, and the steps it took. */
async function referenceRun(ctx: LabFaultContext, config: LabRoundConfig): Promise<Record<string, LabReference>> {
  const { lab, session } = ctx;
  const before = await Promise.all(session.hosts.map((h) => readLabTruth(lab, h.lab)));
  await Promise.all(session.hosts.map((h) => ctx.trigger(h)));
  const finals = await Promise.all(session.hosts.map((h) => settle(session, h.id, Date.now() + config.boundMs, () => labHostQuiet(h.lab))));
  const out: Record<string, LabReference> = {};
  for (const [i, h] of session.hosts.entries()) {
    if (finals[i] !== 'enabled') throw new Error(`the fault-free reference run left ${h.name} ${finals[i] ?? 'without a final status'}: the matrix has nothing to compare with`);
    const after = await readLabTruth(lab, h.lab);
    if (after.live === before[i]!.live || JSON.stringify(truthToJson(after).files) === JSON.stringify(truthToJson(before[i]!).files)) {
      throw new Error(`the reference run left ${h.name} with unchanged files or live state: no run to judge`);
    }
    out[h.name] = { before: truthToJson(before[i]!), after: truthToJson(after), steps: runSteps(h.lab.stateDir) };
  }
  return out;
}

/** The steps of the host's only run, in the order the apply script runs them. */
function runSteps(hostStateDir: string): StepInfo[] {
  const backups = join(hostStateDir, 'varlib.upper', 'hostnet', 'backups');
  const [run] = readdirSync(backups);
  const dir = join(backups, run!, 'steps');
  return readdirSync(dir)
    .filter((f) => /^\d+$/.test(f))
    .sort()
    .map((f) => {
      const [name, , ...argv] = readFileSync(join(dir, f), 'utf8').replace(/\n$/, '').split('\n');
      return { name: name!, argv };
    });
}

async function faultRound(ctx: LabFaultContext, config: LabRoundConfig): Promise<LabVerdictRow[]> {
  const fault = LAB_FAULTS.find((f) => f.name === config.fault)!;
  const boundMs = fault.boundMs ?? config.boundMs;
  const trials: { handle: LabTrialHandle; trial: LabTrial }[] = [];
  for (const { host: name, phase } of config.trials!) {
    const host = ctx.session.host(name);
    const ref = config.reference![name]!;
    const before = await readLabTruth(ctx.lab, host.lab);
    if (JSON.stringify(truthToJson(before)) !== JSON.stringify(ref.before)) log(`${name} does not start where the reference run started: judged against the reference all the same`);
    trials.push({
      handle: { host, phase, steps: ref.steps },
      trial: { fault: fault.name, phase, host, before, reference: truthFromJson(ref.after), injected: false, startedAt: 0, boundMs },
    });
  }
  const judge = async ({ handle, trial }: (typeof trials)[number]): Promise<LabVerdictRow> => {
    trial.injected = handle.injected ?? false;
    const v = await settleAndJudgeLab(ctx.lab, ctx.session, trial);
    return { fault: fault.name, phase: trial.phase, host: trial.host.name, persona: trial.host.lab.persona, ...v };
  };
  if (fault.mode === 'host') {
    return pool(trials, 8, async (t) => {
      t.trial.startedAt = Date.now();
      await fault.drive!(ctx, t.handle);
      return judge(t);
    });
  }
  trials.forEach((t) => (t.trial.startedAt = Date.now()));
  await fault.together!(ctx, trials.map((t) => t.handle));
  return Promise.all(trials.map(judge));
}

main().then(
  (report) => {
    process.stdout.write(`LAB-ROUND ${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error: unknown) => {
    process.stderr.write(`lab round failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
