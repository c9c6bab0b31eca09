import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderTargetId } from '@hostnet/render';
import { Lab, type LabPersona } from '../lab/lab';
import { labProfilesYaml } from '../lab/e2e/lab-profiles';
import { runLabPipeline } from '../lab/e2e/lab-run.client';
import type { LabRunReport } from '../lab/e2e/lab-run.types';
import { ansibleConfig, ansibleInventoryYaml } from './ansible-inventory';
import { ensureAnsible, runPlaybook, type PlaybookRun } from './ansible-runner';
import type { CleanupStack } from './cleanup-stack';
import type { LabBenchResult } from './lab-bench-result';
import { renderLabHosts } from './lab-render';

export interface LabBenchOptions {
  hosts: number;
  timeoutMs: number;
  log: (line: string) => void;
}

/** The playbook shipped beside this file (copied to dist as an asset). */
const PLAYBOOK = join(__dirname, 'ansible', 'configure-network.yml');
const STATE_DIR = '/run/hostnet-bench-lab';
const PREFIX = 'hb';
/**
 * OVS personas hostnet applies for real on this lab: EL 7 network-scripts and Ubuntu with ifupdown.
 * (EL 8/9 OVS needs network-scripts, which hostnet refuses without; netplan's OVS apply fails here.)
 */
const LAB_PERSONAS: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown'];

/**
 * hostnet vs Ansible on the same fresh OVS lab hosts, in one run: lab up → hostnet (K's lab driver, api +
 * worker inside the lab namespace) → hostnet again (no-op) → lab down and up → ansible-playbook writing
 * the same files and running the same steps → again (re-run) → lab down.
 */
export async function runLabBench(opts: LabBenchOptions, cleanup: CleanupStack): Promise<LabBenchResult> {
  ensureAnsible(opts.log);
  const notes: string[] = [];
  const up = async () => {
    const t = Date.now();
    const lab = await Lab.up({ hosts: opts.hosts, ovs: 'all', personas: LAB_PERSONAS, stateDir: STATE_DIR, prefix: PREFIX, timeoutMs: 300_000 });
    opts.log(`lab up: ${opts.hosts} OVS hosts (${lab.inventory.hosts.map((h) => h.persona).join(',')}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return lab;
  };
  let lab = await up();
  cleanup.defer('lab', () => lab.down());
  const profilesYaml = labProfilesYaml(Object.fromEntries(lab.inventory.hosts.map((h) => [h.name, 'ovs-bonded' as const])));

  const hostnet = await runLabPipeline(lab, { profilesYaml, timeoutMs: opts.timeoutMs });
  const hostnetOutcomes = summarize(hostnet);
  opts.log(`hostnet: ${(hostnet.durationMs / 1000).toFixed(2)} s (${hostnetOutcomes})`);
  const notEnabled = hostnet.hosts.filter((h) => h.phase !== 'enabled');
  if (hostnet.timedOut || notEnabled.length > 0) {
    throw new Error(`hostnet did not enable every lab host: ${notEnabled.map((h) => `${h.name} ${h.phase} ${h.outcome?.reason ?? ''}`).join('; ')}`);
  }
  const noop = await runLabPipeline(lab, { profilesYaml, timeoutMs: opts.timeoutMs });
  opts.log(`hostnet re-run: ${(noop.durationMs / 1000).toFixed(2)} s (${summarize(noop)})`);
  const targets = Object.fromEntries(hostnet.hosts.map((h) => [h.name, h.outcome!.target as RenderTargetId]));

  await lab.down();
  lab = await up();
  const rendered = await renderLabHosts({ topologyPath: lab.inventory.topologyPath, profilesYaml, targets });
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-bench-ansible-'));
  cleanup.defer('ansible files', () => rmSync(dir, { recursive: true, force: true }));
  for (const sub of ['local', 'cp', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'inventory.yml'), ansibleInventoryYaml(lab.inventory, rendered), { mode: 0o600 });
  writeFileSync(join(dir, 'ansible.cfg'), ansibleConfig(opts.hosts, dir));
  const run = (): Promise<PlaybookRun> =>
    runPlaybook({
      namespace: lab.inventory.labNamespace,
      playbook: PLAYBOOK,
      inventory: join(dir, 'inventory.yml'),
      env: { ANSIBLE_CONFIG: join(dir, 'ansible.cfg'), HOME: join(dir, 'home'), ANSIBLE_NOCOLOR: '1' },
      timeoutMs: opts.timeoutMs,
    });
  const ansible = await run();
  opts.log(`ansible-playbook: ${(ansible.wallMs / 1000).toFixed(2)} s, exit ${ansible.code}\n${ansible.recap}`);
  if (ansible.code !== 0) throw new Error(`ansible-playbook failed (exit ${ansible.code}):\n${ansible.output.slice(-4000)}`);
  const bridges = await checkBridges(lab);
  if (bridges.length > 0) throw new Error(`after Ansible, OVS bridges are missing: ${bridges.join('; ')}`);
  const ansibleAgain = await run();
  opts.log(`ansible-playbook re-run: ${(ansibleAgain.wallMs / 1000).toFixed(2)} s, exit ${ansibleAgain.code}`);

  notes.push(
    'hostnet time is the lab driver\'s: from api+worker start until every host is enabled in CloudStack (poll, facts, diff, backup, rollback timer, apply, verify, confirm, enable); Ansible only writes files and runs the steps',
    `Ansible: forks ${opts.hosts}, pipelining on, SSH ControlPersist; same files and steps as hostnet rendered (targets: ${[...new Set(Object.values(targets))].join(', ')})`,
    'Ansible re-run is not a no-op: command steps (ovs-vsctl --may-exist, activation) run again, as a plain playbook does',
  );
  return {
    hosts: opts.hosts,
    hostnetMs: hostnet.durationMs,
    hostnetOutcomes,
    ansibleMs: ansible.wallMs,
    ansibleForks: opts.hosts,
    ratio: hostnet.durationMs / ansible.wallMs,
    hostnetNoopMs: noop.durationMs,
    ansibleNoopMs: ansibleAgain.wallMs,
    notes,
  };
}

function summarize(report: LabRunReport): string {
  const counts: Record<string, number> = {};
  for (const h of report.hosts) counts[`${h.outcome?.status ?? '?'}→${h.phase}`] = (counts[`${h.outcome?.status ?? '?'}→${h.phase}`] ?? 0) + 1;
  return Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
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
