import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import type { VmMigrationHook } from '@hostnet/simulator/cloudstack';
import type { LabZone } from '@hostnet/simulator/environment/lab-zone';
import type { LabRelabelConfig, LabRelabelReport } from '../e2e/lab-run.types';

/** An authenticated request to the driver's api. */
export type LabApiCall = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; body: T }>;

interface RolloutSnapshot {
  id: string;
  state: string;
  reason?: string;
  hosts: Record<string, { hostName: string; steps: { purpose: string; layout: string; result?: string }[] }>;
}

const ENDED = new Set(['done', 'aborted']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The config's migrateCommand as the simulator's migrateVms hook (host name appended); every run is recorded. */
export function labVmMigration(argv: string[], runs: LabRelabelReport['migrations']): VmMigrationHook {
  const [file, ...args] = argv;
  if (!file) throw new Error('relabel.migrateCommand is empty: give the command as an argv array');
  return (host) =>
    new Promise((resolve, reject) => {
      execFile(file, [...args, host.name], { timeout: 30_000 }, (error, _stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        runs.push({ host: host.name, at: Date.now(), code });
        if (error) reject(new Error(`${file} exited ${code}: ${stderr.trim().slice(-500)}`));
        else resolve();
      });
    });
}

/**
 * The driver's relabel stage: signals `readyPath`, waits for `goPath`, then plans, starts and polls the
 * rollout through api until it ends or the stage's time is up; reads the end from the simulator. Nothing
 * is signalled or planned unless the pipeline enabled every host (`hostsEnabled`).
 */
export async function runLabRelabel(api: LabApiCall, zone: LabZone, config: LabRelabelConfig, migrations: LabRelabelReport['migrations'], hostsEnabled: boolean): Promise<LabRelabelReport> {
  const deadline = Date.now() + config.timeoutMs;
  const since = Date.now();
  const report = (fields: Partial<LabRelabelReport> & { planStatus: number; timedOut: boolean }): LabRelabelReport => ({
    steps: {},
    ...fields,
    ...simulatorEnd(zone, since),
    migrations,
  });
  if (!hostsEnabled) return report({ planStatus: 0, planError: 'not every host was enabled by the pipeline: no rollout planned', timedOut: false });
  writeFileSync(config.readyPath, 'ready\n');
  while (!existsSync(config.goPath)) {
    if (Date.now() > deadline) return report({ planStatus: 0, timedOut: true });
    await sleep(100);
  }
  const planned = await api<{ id?: string }>('POST', '/relabels', config.request);
  const id = planned.body.id;
  if (planned.status !== 201 || !id) return report({ planStatus: planned.status, planError: JSON.stringify(planned.body).slice(0, 2000), timedOut: false });
  const started = await api<unknown>('POST', `/relabels/${id}/start`, {});
  if (started.status !== 202) return report({ planStatus: planned.status, id, planError: `start answered ${started.status}: ${JSON.stringify(started.body).slice(0, 2000)}`, timedOut: false });
  let view: RolloutSnapshot | undefined;
  for (;;) {
    const got = await api<RolloutSnapshot>('GET', `/relabels/${id}`);
    if (got.status === 200) view = got.body;
    if ((view && ENDED.has(view.state)) || Date.now() > deadline) break;
    await sleep(250);
  }
  if (!view) return report({ planStatus: planned.status, id, state: 'unreadable', timedOut: true });
  const steps = Object.fromEntries(Object.values(view.hosts).map((h) => [h.hostName, h.steps.map((s) => `${s.purpose} ${s.layout} ${s.result ?? 'pending'}`)]));
  return report({ planStatus: planned.status, id, state: view.state, ...(view.reason ? { reason: view.reason } : {}), timedOut: !ENDED.has(view.state), steps });
}

/** CloudStack's side, from the simulator: mutating calls since `since`, hosts and labels now. */
function simulatorEnd(zone: LabZone, since: number): Pick<LabRelabelReport, 'calls' | 'hosts' | 'labels'> {
  const { state } = zone.cloudstack;
  const names = new Map(state.hosts.map((h) => [h.id, h.name]));
  const calls = zone.cloudstack.calls
    .mutations()
    .filter((c) => c.at.getTime() >= since)
    .map((c) => ({
      command: c.command,
      at: c.at.getTime(),
      ...(names.has(c.params['id'] ?? '') ? { host: names.get(c.params['id'] ?? '')! } : {}),
      ...(c.params['kvmnetworklabel'] !== undefined ? { label: c.params['kvmnetworklabel'] } : {}),
      ...(c.params['allocationstate'] ? { allocationstate: c.params['allocationstate'] } : {}),
    }));
  return {
    calls,
    hosts: Object.fromEntries(state.hosts.map((h) => [h.name, { state: h.state, resourceState: h.resourceState }])),
    labels: Object.fromEntries(state.trafficTypes.map((t) => [t.trafficType, t.kvmNetworkLabel ?? ''])),
  };
}
