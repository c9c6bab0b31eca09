import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Lab } from '../lab';
import type { LabPersona } from '../lab-inventory';
import { runLabPipeline } from '../e2e/lab-run.client';
import type { LabRelabelReport, LabRunReport } from '../e2e/lab-run.types';
import { LAB_RELABEL_PROFILES } from './lab-relabel-zone';
import { LabVm } from './lab-vm';
import { parsePingLog, summarizePingLoss, type LossWindow } from './ping-log.parser';

/**
 * Issue 9's acceptance on real OVS hosts: the normal pipeline configures and enables 3 lab hosts, then
 * Public (physnet2, cloudbr1) is relabelled to cloudbr9 through api (plan → start → poll), maintenance
 * required, one host at a time. Each host has a "VM" on cloudbr1 pinging the lab router every 50 ms for
 * the whole rollout; when CloudStack (the simulator) prepares the host for maintenance, the VM migrates
 * (its port moves to cloudbr9) before the host enters Maintenance. Every loss is placed in time against
 * the host's own maintenance window, read from the simulator's call log.
 */
const prefix = `hnw${process.pid % 1000}`;
const stateDir = `/run/hostnet-lab-rollout-${process.pid}`;
const PERSONAS: LabPersona[] = ['centos7', 'ubuntu2204-ifupdown', 'centos7'];
const ROUTER = '10.255.1.1';
const INTERVAL_S = 0.05;
const OLD = 'cloudbr1';
const NEW = 'cloudbr9';
const AGENT_PROPERTIES = ['private.network.device=cloudbr0', `public.network.device=${OLD}`, 'guest.network.device=cloudbr0', ''].join('\n');

describe('lab: a relabel rollout of Public through api on 3 OVS hosts, a VM on each pinging throughout', () => {
  let lab: Lab;
  const vms: LabVm[] = [];
  const sh = async (host: string, command: string): Promise<string> => {
    const r = await lab.hostExec(host, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} on ${host} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const ok = async (host: string, command: string) => (await lab.hostExec(host, ['sh', '-c', command])).code === 0;

  beforeAll(async () => {
    lab = await Lab.up({ hosts: PERSONAS.length, personas: PERSONAS, ovs: 'all', stateDir, prefix });
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled(vms.map((vm) => vm.stop()));
    await lab?.down();
  }, 60_000);

  it('ends done with one label flip, every host Up+Enabled on cloudbr9 without cloudbr1, and no VM loses a packet outside its host\'s maintenance', async () => {
    const names = lab.inventory.hosts.map((h) => h.name);
    const readyPath = join(stateDir, 'relabel.ready');
    const goPath = join(stateDir, 'relabel.go');
    let ended = false;
    const run = runLabPipeline(lab, {
      profilesYaml: stringify(LAB_RELABEL_PROFILES),
      rollbackSeconds: 60,
      timeoutMs: 150_000,
      relabel: {
        request: {
          zone: 'lab-zone',
          changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: NEW }],
          strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1, maintenance: 'required' },
          requestedBy: 'lab-relabel-rollout',
        },
        readyPath,
        goPath,
        migrateCommand: LabVm.migrateCommand(stateDir, OLD, NEW),
        timeoutMs: 360_000,
      },
    }).finally(() => (ended = true));
    run.catch(() => undefined); // awaited below; a failure before that must not go unhandled

    // every host configured and enabled by the pipeline: a VM on the old bridge of each, pinging
    while (!existsSync(readyPath) && !ended) await new Promise((r) => setTimeout(r, 200));
    if (!existsSync(readyPath)) {
      // the driver failed, or the pipeline did not enable every host: no rollout
      const early = await run;
      expect(early.hosts.map((h) => `${h.name} ${h.phase}`)).toEqual(names.map((n) => `${n} enabled`));
      throw new Error(`the driver ended without its relabel stage: ${early.relabel?.planError ?? 'no relabel report'}`);
    }
    for (const [i, host] of names.entries()) {
      await sh(host, `mkdir -p /etc/cloudstack/agent && printf '%s' '${AGENT_PROPERTIES}' > /etc/cloudstack/agent/agent.properties`);
      const vm = await LabVm.attach(lab, host, { bridge: OLD, address: `10.255.1.${50 + i}`, router: ROUTER });
      vms.push(vm);
      await vm.startPinging(ROUTER, INTERVAL_S, 900);
    }
    writeFileSync(goPath, 'go\n');
    const goAt = Date.now();
    const report: LabRunReport = await run;
    const rolloutMs = Date.now() - goAt;
    const stopped = await Promise.all(vms.map((vm) => vm.stop()));

    expect(report.hosts.map((h) => `${h.name} ${h.phase}`)).toEqual(names.map((n) => `${n} enabled`));
    const relabel = report.relabel!;
    const figures = names.map((host, i) => {
      const windows = maintenanceWindows(relabel, host);
      const loss = summarizePingLoss(parsePingLog(stopped[i]!.log), { intervalMs: INTERVAL_S * 1000, stoppedAt: stopped[i]!.stoppedAt, inFlightMs: 1000, windows });
      const inMaintenance = windows.reduce((ms, w) => ms + w.to - w.from, 0);
      process.stdout.write(
        `lab relabel rollout ${host} (${PERSONAS[i]}): ${loss.sent} sent, ${loss.lost} lost, ${loss.lostOutside} lost outside its maintenance ` +
          `(${(inMaintenance / 1000).toFixed(1)} s), longest gap ${loss.longestGapMs.toFixed(0)} ms\n`,
      );
      return { host, windows: windows.length, pinged: loss.received >= 200, lostOutside: loss.lostOutside, lostOutsideAt: loss.lostOutsideAt.map((at) => new Date(at).toISOString()) };
    });
    process.stdout.write(`lab relabel rollout: ${relabel.state} in ${(rolloutMs / 1000).toFixed(1)} s (configure ${(report.durationMs / 1000).toFixed(1)} s before it)\n`);

    expect({ state: relabel.state, reason: relabel.reason, planError: relabel.planError, timedOut: relabel.timedOut }).toEqual({ state: 'done', reason: undefined, planError: undefined, timedOut: false });
    expect(relabel.calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.label)).toEqual([NEW]);
    expect(relabel.labels['Public']).toBe(NEW);
    for (const host of names) {
      expect({ host, steps: relabel.steps[host] }).toEqual({ host, steps: ['expand both verified', 'contract new verified'] });
      expect({ host, ...relabel.hosts[host] }).toEqual({ host, state: 'Up', resourceState: 'Enabled' });
      expect({ host, migrations: relabel.migrations.filter((m) => m.host === host).map((m) => m.code) }).toEqual({ host, migrations: [0] });
    }
    expect(figures).toEqual(names.map((host) => ({ host, windows: 1, pinged: true, lostOutside: 0, lostOutsideAt: [] })));

    for (const [i, host] of names.entries()) {
      expect({ host, old: await ok(host, `ovs-vsctl br-exists ${OLD}`), uplink: (await sh(host, 'ovs-vsctl port-to-br eth2')).trim(), vm: await vms[i]!.bridge() }).toEqual({ host, old: false, uplink: NEW, vm: NEW });
      expect({ host, patch: (await sh(host, `ovs-vsctl list-ports ${NEW}`)).split('\n').filter((p) => p.startsWith('pt-')) }).toEqual({ host, patch: [] });
      expect({ host, reaches: await vms[i]!.reaches(ROUTER) }).toEqual({ host, reaches: true });
      // what a reboot would bring up names only the new bridge; the agent was restarted by the expand and the contract
      expect({ host, persisted: (await sh(host, `grep -rlw ${OLD} /etc/sysconfig/network-scripts /etc/network 2>/dev/null || true`)).trim() }).toEqual({ host, persisted: '' });
      expect({ host, agent: await sh(host, 'cat /etc/cloudstack/agent/agent.properties'), restarts: (await sh(host, 'cat /run/lab/cloudstack-agent.log')).trim().split('\n').length }).toEqual({
        host,
        agent: AGENT_PROPERTIES.replace(`=${OLD}`, `=${NEW}`),
        restarts: 2,
      });
    }
  }, 600_000);
});

/** The host's maintenance windows from the simulator's call log: each prepareHostForMaintenance to the next cancelHostMaintenance. */
function maintenanceWindows(relabel: LabRelabelReport, host: string): LossWindow[] {
  const windows: LossWindow[] = [];
  let from: number | undefined;
  for (const call of relabel.calls.filter((c) => c.host === host)) {
    if (call.command === 'prepareHostForMaintenance') from ??= call.at;
    if (call.command === 'cancelHostMaintenance' && from !== undefined) {
      windows.push({ from, to: call.at });
      from = undefined;
    }
  }
  return windows;
}
