import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { RenderTargetId } from '@hostnet/render';
import { Lab, type LabPersona } from '../lab/lab';
import { labProfilesYaml } from '../lab/e2e/lab-profiles';
import { ansibleConfig, ansibleInventoryYaml, noopViolations, parsePlayRecap, type AnsibleTuning } from './ansible-inventory';
import { ensureAnsible, ensureMitogen, runAnsible, runPlaybook, type PlaybookRun } from './ansible-runner';
import type { CleanupStack } from './cleanup-stack';
import type { AnsibleRound, LabBenchResult } from './lab-bench-result';
import { bestRounds, speedup } from './lab-bench-report';
import { renderLabHosts } from './lab-render';
import { runLabSteady } from './lab-steady.client';
import type { LabSteadyRun } from './lab-steady.types';
import { formatSplits, journalSplit, type JournalSplit } from './lab-journal-split';

export interface LabBenchOptions {
  hosts: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/** The tuned playbook shipped beside this file (copied to dist as an asset). */
const PLAYBOOK = join(__dirname, 'ansible', 'configure-network-tuned.yml');
const STATE_DIR = '/run/hostnet-bench-lab';
const PREFIX = 'hb';
/** hostnet must be this many times faster than Ansible, first apply and re-run (issue 12). */
const GOAL = 10;
type Strategy = AnsibleTuning['strategy'];
/**
 * OVS personas hostnet applies for real on this lab: EL 7 network-scripts and Ubuntu with ifupdown.
 * (EL 8/9 OVS needs network-scripts, which hostnet refuses without; netplan's OVS apply fails here.)
 */
const LAB_PERSONAS: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown'];

/**
 * hostnet in steady state vs Ansible at its best, on the same fresh OVS lab hosts: lab up → api + worker
 * started once inside the lab namespace and ready (not timed) → first apply, then re-run (no-op), each
 * from the operator's trigger to the last host enabled → lab down and up → the tuned playbook writing the
 * same files and running the same steps (first apply), then again (must be a real no-op), for mitogen_free
 * (where Debian's ansible-mitogen works) and plain free, each on fresh hosts → lab down.
 */
export async function runLabBench(opts: LabBenchOptions, cleanup: CleanupStack): Promise<LabBenchResult> {
  ensureAnsible(opts.log);
  const mitogen = ensureMitogen(opts.log);
  const up = async () => {
    const t = Date.now();
    const lab = await Lab.up({ hosts: opts.hosts, ovs: 'all', personas: LAB_PERSONAS, stateDir: STATE_DIR, prefix: PREFIX, timeoutMs: 300_000 });
    opts.log(`lab up: ${opts.hosts} OVS hosts (${lab.inventory.hosts.map((h) => h.persona).join(',')}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return lab;
  };
  let lab = await up();
  cleanup.defer('lab', () => lab.down());
  const profilesYaml = labProfilesYaml(Object.fromEntries(lab.inventory.hosts.map((h) => [h.name, 'ovs-bonded' as const])));

  const steady = await runLabSteady(lab, { profilesYaml, timeoutMs: opts.timeoutMs, runs: ['first apply', 're-run', 're-run, new connections'], newConnections: ['re-run, new connections'] });
  opts.log(`hostnet api+worker start-up (not timed): ${(steady.startupMs / 1000).toFixed(2)} s, after the lab's CloudStack simulator + Redis (${(steady.zoneStartMs / 1000).toFixed(2)} s)`);
  const [first, rerun, rerunCold] = steady.runs;
  if (!first || !rerun || !rerunCold) throw new Error(`hostnet: a timed run did not end (${steady.runs.map((r) => `${r.label} timed out: ${r.timedOut}`).join('; ')})`);
  opts.log(`hostnet first apply: ${(first.verifiedMs / 1000).toFixed(2)} s to the last host verified, ${(first.durationMs / 1000).toFixed(2)} s to the last enabled (${summarize(first)}); POST /zones/:id/configure answered in ${first.triggerMs} ms; worker stages, mean ms: ${stageMeans(first)}; slowest steps, mean ms: ${slowestSteps(first)}`);
  assertHostnetRun(first, 'applied');
  opts.log(`hostnet first apply on the hosts, mean ms from their run journals: ${formatSplits(await journalSplits(lab))}`);
  opts.log(`hostnet re-run: ${(rerun.verifiedMs / 1000).toFixed(2)} s to the last host verified, ${(rerun.durationMs / 1000).toFixed(2)} s to the last enabled (${summarize(rerun)}); POST /zones/:id/configure answered in ${rerun.triggerMs} ms; worker stages, mean ms: ${stageMeans(rerun)}`);
  assertHostnetRun(rerun, 'no-op');
  opts.log(`hostnet re-run, new connections: ${(rerunCold.verifiedMs / 1000).toFixed(2)} s to the last host verified (${summarize(rerunCold)}); worker stages, mean ms: ${stageMeans(rerunCold)}`);
  assertHostnetRun(rerunCold, 'no-op');
  const targets = Object.fromEntries(first.hosts.map((h) => [h.name, h.target as RenderTargetId]));

  await lab.down();
  lab = await up();
  const rendered = await renderLabHosts({ topologyPath: lab.inventory.topologyPath, profilesYaml, targets });
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-bench-ansible-'));
  cleanup.defer('ansible files', () => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'home'));
  const inventory = join(dir, 'inventory.yml');
  writeFileSync(inventory, ansibleInventoryYaml(lab.inventory, rendered), { mode: 0o600 });
  // One config (and control-socket dir) per strategy; the inventory holds for every fresh lab of this run.
  const cfgPath = (strategy: Strategy) => join(dir, strategy, 'ansible.cfg');
  const env = (strategy: Strategy) => ({ ANSIBLE_CONFIG: cfgPath(strategy), HOME: join(dir, 'home'), ANSIBLE_NOCOLOR: '1' });
  const writeCfg = (tuning: AnsibleTuning) => {
    for (const sub of ['local', 'cp']) mkdirSync(join(dir, tuning.strategy, sub), { recursive: true });
    writeFileSync(cfgPath(tuning.strategy), ansibleConfig(tuning));
  };
  writeCfg({ forks: opts.hosts, tempDir: join(dir, 'free'), strategy: 'free' });

  // Mitogen where it works with Debian's ansible: probed with one harmless command on every host first.
  const strategies: Strategy[] = ['free'];
  let mitogenProblem = mitogen.problem;
  if (mitogen.strategyDir) {
    writeCfg({ forks: opts.hosts, tempDir: join(dir, 'mitogen_free'), strategy: 'mitogen_free', mitogenStrategyDir: mitogen.strategyDir });
    const probe = await runAnsible({
      namespace: lab.inventory.labNamespace,
      argv: ['ansible', 'lab', '-i', inventory, '-m', 'ansible.builtin.command', '-a', 'true'],
      env: env('mitogen_free'),
      timeoutMs: 120_000,
    });
    if (probe.code === 0) strategies.unshift('mitogen_free');
    else mitogenProblem = `Debian's ansible-mitogen with Debian's ansible-core fails (exit ${probe.code}): ${lastLines(probe.output, 3)}`;
  }
  opts.log(`Ansible strategies timed: ${strategies.join(', ')}${mitogenProblem ? ` (mitogen not used: ${mitogenProblem})` : ''}`);

  // Each strategy on fresh hosts: first apply, then the re-run, which must be a real no-op.
  const rounds: AnsibleRound[] = [];
  for (const [i, strategy] of strategies.entries()) {
    if (i > 0) {
      await lab.down();
      lab = await up();
    }
    const run = (): Promise<PlaybookRun> => runPlaybook({ namespace: lab.inventory.labNamespace, playbook: PLAYBOOK, inventory, env: env(strategy), timeoutMs: opts.timeoutMs });
    const first = await run();
    opts.log(`ansible-playbook first apply (${strategy}): ${(first.wallMs / 1000).toFixed(2)} s, exit ${first.code}`);
    if (first.code !== 0 && strategy === 'mitogen_free') {
      // Mitogen loaded but the play failed under it: say why; plain `free` still runs on fresh hosts.
      mitogenProblem = `the play failed under mitogen_free (exit ${first.code}): ${lastLines(first.output, 3)}`;
      opts.log(mitogenProblem);
      continue;
    }
    if (first.code !== 0) throw new Error(`ansible-playbook (${strategy}) failed (exit ${first.code}):\n${first.output.slice(-4000)}`);
    const firstRecap = parsePlayRecap(first.output);
    const notChanged = lab.inventory.hosts.filter((h) => !((firstRecap.find((r) => r.host === h.name)?.counts['changed'] ?? 0) > 0));
    if (notChanged.length > 0) throw new Error(`ansible first apply (${strategy}) changed nothing on ${notChanged.map((h) => h.name).join(', ')}: the hosts were not fresh`);
    const bridges = await checkBridges(lab);
    if (bridges.length > 0) throw new Error(`after Ansible (${strategy}), OVS bridges are missing: ${bridges.join('; ')}`);

    const again = await run();
    opts.log(`ansible-playbook re-run (${strategy}): ${(again.wallMs / 1000).toFixed(2)} s, exit ${again.code}`);
    if (again.code !== 0) throw new Error(`ansible-playbook re-run (${strategy}) failed (exit ${again.code}):\n${again.output.slice(-4000)}`);
    const rerunRecap = parsePlayRecap(again.output);
    const violations = noopViolations(rerunRecap, lab.inventory.hosts.map((h) => h.name));
    if (violations.length > 0) throw new Error(`the tuned playbook's re-run (${strategy}) is not a no-op: ${violations.join('; ')}\n${again.recap}`);
    const total = (k: string) => rerunRecap.reduce((n, r) => n + (r.counts[k] ?? 0), 0);
    rounds.push({ strategy, firstMs: first.wallMs, rerunMs: again.wallMs, rerunRecap: { ok: total('ok'), changed: total('changed'), skipped: total('skipped') } });
  }
  const best = bestRounds(rounds);

  const versions = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'ansible-core', 'ansible-mitogen'], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n')
    .join(', ');
  const notes = [
    "hostnet: api + worker started once inside the lab namespace and ready (api answers /health) before timing; each run is timed from the operator's POST /zones/:id/configure to api's record of the last host's verified result (facts, diff, backup, rollback timer, apply, verify, confirm: the issue's measure; Ansible's run ends there too), and also to the last host enabled in CloudStack (reconnect, Enable), api's host list read every 50 ms; the poller is off so nothing starts before the trigger; WORKER_CONCURRENCY = max(16, hosts), as Ansible has forks = hosts",
    `Ansible: tuned playbook (test/bench/ansible/configure-network-tuned.yml): same files and ordered steps as hostnet rendered (targets: ${[...new Set(Object.values(targets))].join(', ')}), activation in one handler notified only by a changed file and run in the session that started it (a detached run + reconnect waited ~30 s per Ubuntu host for the control node's stale ARP entry of the moved address), forks ${opts.hosts}, gather_facts false, pipelining, SSH ControlMaster auto + ControlPersist 120s; no backup, rollback timer or verification`,
    `Ansible: each strategy (${rounds.map((r) => r.strategy).join(', ')}) timed on its own fresh hosts; the speed-ups use the faster strategy of each run`,
    `Ansible re-run asserted a real no-op: PLAY RECAP changed=0 failed=0 unreachable=0 on all ${opts.hosts} hosts, for every strategy`,
  ];
  const firstSpeedup = speedup(first.verifiedMs, best.first.firstMs);
  const rerunSpeedup = speedup(rerun.verifiedMs, best.rerun.rerunMs);
  return {
    hosts: opts.hosts,
    hostnet: { startupMs: steady.startupMs, zoneStartMs: steady.zoneStartMs, firstMs: first.verifiedMs, rerunMs: rerun.verifiedMs, firstEnabledMs: first.durationMs, rerunEnabledMs: rerun.durationMs, firstOutcomes: summarize(first), rerunOutcomes: summarize(rerun), rerunNewConnectionsMs: rerunCold.verifiedMs },
    ansible: {
      firstMs: best.first.firstMs,
      rerunMs: best.rerun.rerunMs,
      firstStrategy: best.first.strategy,
      rerunStrategy: best.rerun.strategy,
      forks: opts.hosts,
      rounds,
      ...(mitogenProblem ? { mitogenProblem } : {}),
      versions,
    },
    speedup: { first: firstSpeedup, rerun: rerunSpeedup, rerunNewConnections: speedup(rerunCold.verifiedMs, best.rerun.rerunMs) },
    goal: GOAL,
    notes,
  };
}

/** Every host must end enabled, with the outcome this run should have (applied, then no-op). */
function assertHostnetRun(run: LabSteadyRun, status: 'applied' | 'no-op'): void {
  const wrong = run.hosts.filter((h) => h.phase !== 'enabled' || h.status !== status || (status === 'no-op' && h.changedFiles.length > 0));
  if (run.timedOut || wrong.length > 0) {
    throw new Error(
      `hostnet ${run.label}: every host must end ${status}→enabled${run.timedOut ? ' (timed out)' : ''}: ${wrong.map((h) => `${h.name} ${h.status ?? '?'}→${h.phase} ${h.reason ?? ''} ${h.changedFiles.join(',')}`).join('; ')}`,
    );
  }
}

function summarize(run: LabSteadyRun): string {
  const counts: Record<string, number> = {};
  for (const h of run.hosts) counts[`${h.status ?? '?'}→${h.phase}`] = (counts[`${h.status ?? '?'}→${h.phase}`] ?? 0) + 1;
  return [...Object.entries(counts).map(([k, v]) => `${v} ${k}`), `${run.updateHostCalls} updateHost`].join(', ');
}

/** Mean of each worker stage over the run's hosts, e.g. `connect 120, facts 300, …`. */
function stageMeans(run: LabSteadyRun): string {
  const sums = new Map<string, { total: number; n: number }>();
  for (const h of run.hosts) {
    for (const [k, v] of Object.entries(h.durationsMs ?? {})) {
      const x = sums.get(k) ?? { total: 0, n: 0 };
      sums.set(k, { total: x.total + v, n: x.n + 1 });
    }
  }
  return [...sums].map(([k, x]) => `${k} ${Math.round(x.total / x.n)}`).join(', ') || 'none reported';
}

/** The steps taking most of the apply stage, mean ms over the hosts that ran them, e.g. `ifup-cloudbr0 812, …`. */
function slowestSteps(run: LabSteadyRun, n = 6): string {
  const sums = new Map<string, { total: number; n: number }>();
  for (const h of run.hosts) {
    for (const [k, v] of Object.entries(h.stepMs ?? {})) {
      const x = sums.get(k) ?? { total: 0, n: 0 };
      sums.set(k, { total: x.total + v, n: x.n + 1 });
    }
  }
  const means = [...sums].map(([k, x]) => [k, x.total / x.n] as const).sort((a, b) => b[1] - a[1]);
  const all = means.reduce((t, [, v]) => t + v, 0);
  return means.length === 0 ? 'none' : `${means.slice(0, n).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')} (all ${means.length} steps ${Math.round(all)})`;
}

function lastLines(output: string, n: number): string {
  return output.trim().split('\n').filter((l) => l.trim()).slice(-n).join(' | ').slice(0, 600);
}

/** Each host's applied run as its own journal timed it. */
async function journalSplits(lab: Lab): Promise<JournalSplit[]> {
  const splits: JournalSplit[] = [];
  for (const host of lab.inventory.hosts) {
    const r = await lab.hostExec(host, ['sh', '-c', 'cat /var/lib/hostnet/backups/*/journal 2>/dev/null || true']);
    const split = journalSplit(r.stdout);
    if (split) splits.push(split);
  }
  return splits;
}

/** Every host must have cloudbr0 and cloudbr1 in its own OVS after the playbook (checked behind SSH's back). */
async function checkBridges(lab: Lab): Promise<string[]> {
  const missing: string[] = [];
  for (const host of lab.inventory.hosts) {
    const r = await lab.hostExec(host, ['ovs-vsctl', 'list-br']);
    const have = new Set(r.stdout.split('\n').map((l) => l.trim()));
    for (const br of ['cloudbr0', 'cloudbr1']) if (!have.has(br)) missing.push(`${host.name} ${br}`);
  }
  return missing;
}
