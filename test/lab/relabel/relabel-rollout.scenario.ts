import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Lab } from '../lab';
import { runLabPipeline } from '../e2e/lab-run.client';
import type { LabRelabelReport, LabRunReport } from '../e2e/lab-run.types';
import { LAB_RELABEL_PROFILES } from './lab-relabel-zone';
import { LabVm } from './lab-vm';
import { parsePingLog, summarizePingLoss, type LossWindow, type PingLossSummary } from './ping-log.parser';

export const ROUTER = '10.255.1.1';
export const OLD = 'cloudbr1';
export const NEW = 'cloudbr9';
export const AGENT_PROPERTIES = ['private.network.device=cloudbr0', `public.network.device=${OLD}`, 'guest.network.device=cloudbr0', ''].join('\n');
const INTERVAL_S = 0.05;

/** One host's VM across the rollout. */
export interface HostFigures {
  host: string;
  /** Maintenance windows the simulator's call log shows for the host. */
  windows: number;
  loss: PingLossSummary;
}

export interface RolloutRun {
  report: LabRunReport;
  relabel: LabRelabelReport;
  figures: HostFigures[];
}

/**
 * Public cloudbr1 → cloudbr9 through api on every lab host, once the normal pipeline enabled them all:
 * agent.properties and a VM on cloudbr1 per host (pinging the router every 50 ms from before the plan to
 * after the end), canary 1, maxUnavailable 1, maintenance required. `migrate`: CloudStack's maintenance
 * moves the host's VM to cloudbr9; without it the VM stays on cloudbr1 (one CloudStack does not manage).
 * Prints each host's figures; the VMs are pushed to `vms` as they start, for the caller's cleanup.
 */
export async function runRelabelRollout(lab: Lab, options: { migrate: boolean; personas: string[]; vms: LabVm[] }): Promise<RolloutRun> {
  const { stateDir } = lab.inventory;
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
      ...(options.migrate ? { migrateCommand: LabVm.migrateCommand(stateDir, OLD, NEW) } : {}),
      timeoutMs: 360_000,
    },
  }).finally(() => (ended = true));
  run.catch(() => undefined); // awaited below; a failure before that must not go unhandled

  while (!existsSync(readyPath) && !ended) await new Promise((r) => setTimeout(r, 200));
  if (!existsSync(readyPath)) {
    const early = await run; // the driver failed (this throws), or the pipeline did not enable every host
    throw new Error(`no rollout: ${early.relabel?.planError ?? 'no relabel report'}; hosts ${early.hosts.map((h) => `${h.name} ${h.phase}`).join(', ')}`);
  }
  for (const [i, host] of names.entries()) {
    await lab.hostExec(host, ['sh', '-c', `mkdir -p /etc/cloudstack/agent && printf '%s' '${AGENT_PROPERTIES}' > /etc/cloudstack/agent/agent.properties`]);
    const vm = await LabVm.attach(lab, host, { bridge: OLD, address: `10.255.1.${50 + i}`, router: ROUTER });
    options.vms.push(vm);
    await vm.startPinging(ROUTER, INTERVAL_S, 900);
  }
  writeFileSync(goPath, 'go\n');
  const goAt = Date.now();
  const report = await run;
  const rolloutMs = Date.now() - goAt;
  const stopped = await Promise.all(options.vms.map((vm) => vm.stop()));

  const relabel = report.relabel!;
  const figures = names.map((host, i): HostFigures => {
    const windows = maintenanceWindows(relabel, host);
    const loss = summarizePingLoss(parsePingLog(stopped[i]!.log), { intervalMs: INTERVAL_S * 1000, stoppedAt: stopped[i]!.stoppedAt, inFlightMs: 1000, windows });
    const inMaintenance = windows.reduce((ms, w) => ms + w.to - w.from, 0);
    process.stdout.write(
      `lab relabel rollout ${host} (${options.personas[i]}, VM ${options.migrate ? 'migrated' : 'not migrated'}): ${loss.sent} sent, ${loss.lost} lost, ` +
        `${loss.lostOutside} lost outside its maintenance (${(inMaintenance / 1000).toFixed(1)} s), longest gap ${loss.longestGapMs.toFixed(0)} ms\n`,
    );
    return { host, windows: windows.length, loss };
  });
  process.stdout.write(`lab relabel rollout: ${relabel.state} in ${(rolloutMs / 1000).toFixed(1)} s (configure ${(report.durationMs / 1000).toFixed(1)} s before it)\n`);
  return { report, relabel, figures };
}

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
