/**
 * The client side of a lab run, started by the lab specs as `ip netns exec <lab ns> node <this file>
 * CONFIG.json`: a CloudStack simulator seeded from the lab's topology, a private Redis, and api + worker
 * (the same Nest modules their mains build, config validated by the same schema) in this process. Waits
 * until every host reached a final phase, then prints one `LAB-REPORT {json}` line and exits.
 * Lab addresses are only reachable inside the lab namespace, hence a separate process.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@hostnet/config';
import { LabZone } from '@hostnet/simulator/environment/lab-zone';
import { API_CONFIG_KEYS } from '../../../apps/api/src/api-config';
import { ApiModule } from '../../../apps/api/src/api.module';
import { setupHttp } from '../../../apps/api/src/api-http.setup';
import { WORKER_CONFIG_KEYS } from '../../../apps/worker/src/worker-config';
import { WorkerModule } from '../../../apps/worker/src/worker.module';
import { labZoneInputs, readLabInventory } from '../lab-inventory';
import { labVmMigration, runLabRelabel, type LabApiCall } from '../relabel/lab-relabel.stage';
import { FINAL_PHASES, type LabHostReport, type LabRelabelReport, type LabRunConfig, type LabRunReport } from './lab-run.types';

interface StatusRecord {
  hostId: string;
  hostName: string;
  phase: string;
  outcome?: {
    status: string;
    reason?: string;
    target?: string;
    diff?: { files: { path: string; change: string }[]; live?: string[] };
    steps?: { name: string; exitCode: number }[];
    rollback?: { armedSeconds: number; triggered: boolean; restoredAt?: string };
    verification?: { ok: boolean; checks: { name: string; ok: boolean; detail?: string }[] };
    durationsMs?: Record<string, number>;
  };
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LabRunConfig;
  const inventory = readLabInventory(config.stateDir);
  const wanted = new Set(config.hosts ?? inventory.hosts.map((h) => h.name));
  const migrations: LabRelabelReport['migrations'] = [];
  const migrateCommand = config.relabel?.migrateCommand;
  const zone = await LabZone.start({
    ...labZoneInputs(inventory),
    profilesYaml: config.profilesYaml,
    ...(config.rollbackSeconds ? { rollbackSeconds: config.rollbackSeconds } : {}),
    ...(migrateCommand ? { migrateVms: labVmMigration(migrateCommand, migrations) } : {}),
  });
  const env: Record<string, string> = { ...zone.env, LOG_LEVEL: 'warn' };
  const logger = process.env.HOSTNET_TEST_LOGS ? {} : { logger: ['error' as const] };
  let api: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  const started = Date.now();
  try {
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig(WORKER_CONFIG_KEYS, env)), logger);
    api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, env)), { rawBody: true, ...logger });
    setupHttp(api, env['API_TOKEN']!);
    await api.listen(0, '127.0.0.1');
    const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    const call: LabApiCall = async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
      const headers = { authorization: `Bearer ${env['API_TOKEN']}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as T };
    };
    const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).body;

    let latest: StatusRecord[] = [];
    let timedOut = false;
    const deadline = started + config.timeoutMs;
    for (;;) {
      latest = (await get<StatusRecord[]>('/hosts')).filter((s) => wanted.has(s.hostName));
      if (latest.length === wanted.size && latest.every((s) => FINAL_PHASES.has(s.phase))) break;
      if (Date.now() > deadline) {
        timedOut = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const durationMs = Date.now() - started;
    const hosts: LabHostReport[] = [];
    for (const status of latest) {
      const { history } = await get<{ history: StatusRecord[] }>(`/hosts/${status.hostId}`);
      hosts.push(hostReport(status, history));
    }
    const names = new Map(zone.cloudstack.state.hosts.map((h) => [h.id, h.name]));
    const report: LabRunReport = {
      durationMs,
      timedOut,
      hosts: hosts.sort((a, b) => a.name.localeCompare(b.name)),
      cloudstack: {
        updateHost: zone.cloudstack.calls.of('updateHost').map((c) => ({
          id: names.get(c.params['id'] ?? '') ?? c.params['id'] ?? '',
          ...(c.params['allocationstate'] ? { allocationstate: c.params['allocationstate'] } : {}),
        })),
        resourceState: Object.fromEntries(zone.cloudstack.state.hosts.map((h) => [h.name, h.resourceState])),
      },
    };
    if (config.relabel) {
      const enabled = !timedOut && hosts.every((h) => h.phase === 'enabled');
      report.relabel = await runLabRelabel(call, zone, config.relabel, migrations, enabled);
    }
    process.stdout.write(`LAB-REPORT ${JSON.stringify(report)}\n`);
  } finally {
    await worker?.close();
    await api?.close();
    await zone.stop();
  }
}

function hostReport(status: StatusRecord, history: StatusRecord[]): LabHostReport {
  // history comes newest first: the first record with an outcome is the last run's result
  const o = history.find((r) => r.outcome)?.outcome;
  return {
    name: status.hostName,
    hostId: status.hostId,
    phase: status.phase,
    phases: [...history].reverse().map((r) => r.phase),
    ...(o
      ? {
          outcome: {
            status: o.status,
            ...(o.reason ? { reason: o.reason } : {}),
            ...(o.target ? { target: o.target } : {}),
            changedFiles: (o.diff?.files ?? []).filter((f) => f.change !== 'same').map((f) => f.path),
            liveDiff: o.diff?.live ?? [],
            steps: (o.steps ?? []).map(({ name, exitCode }) => ({ name, exitCode })),
            ...(o.rollback ? { rollback: o.rollback } : {}),
            ...(o.verification
              ? { verification: { ok: o.verification.ok, failed: o.verification.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail ?? ''}`) } }
              : {}),
            ...(o.durationsMs ? { durationsMs: o.durationsMs } : {}),
          },
        }
      : {}),
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`lab driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
