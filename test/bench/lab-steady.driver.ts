/**
 * The steady-state client side of `npm run bench -- --lab`, started as `ip netns exec <lab ns> node <this
 * file> CONFIG.json`: the same zone as test/lab/e2e/lab-pipeline.driver.ts (CloudStack simulator seeded
 * from the lab's topology, private Redis, api + worker in this process, config validated by their schema),
 * but api and worker are started once and are ready (api answers /health) before anything is timed. The
 * poller is off, so nothing runs until the operator's trigger; each timed run is one
 * POST /zones/:id/configure until every host is in a final phase again. Prints one `LAB-STEADY {json}` line.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '@hostnet/config';
import { LabZone } from '@hostnet/simulator/environment/lab-zone';
import { WarmSessions } from '@hostnet/ssh';
import { API_CONFIG_KEYS } from '../../apps/api/src/api-config';
import { ApiModule } from '../../apps/api/src/api.module';
import { setupHttp } from '../../apps/api/src/api-http.setup';
import { WORKER_CONFIG_KEYS } from '../../apps/worker/src/worker-config';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { labZoneInputs, readLabInventory } from '../lab/lab-inventory';
import { FINAL_PHASES } from '../lab/e2e/lab-run.types';
import type { LabSteadyConfig, LabSteadyHost, LabSteadyReport, LabSteadyRun } from './lab-steady.types';

interface StatusRecord {
  hostId: string;
  hostName: string;
  phase: string;
  runId?: string;
  at: string;
  outcome?: { status: string; reason?: string; target?: string; diff?: { files: { path: string; change: string }[] }; steps?: { name: string; durationMs: number }[]; durationsMs?: Record<string, number> };
}

/** How often api's host list is read while a run is under way (sets the resolution of the figures). */
const POLL_MS = 50;

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LabSteadyConfig;
  const inventory = readLabInventory(config.stateDir);
  const wanted = new Set(inventory.hosts.map((h) => h.name));
  const zoneStarted = Date.now();
  const zone = await LabZone.start({
    ...labZoneInputs(inventory),
    profilesYaml: config.profilesYaml,
  });
  const zoneStartMs = Date.now() - zoneStarted;
  // Poller off: the lab's hosts are Disabled in CloudStack and would start running as soon as api starts.
  // Worker concurrency at least one per host, as Ansible gets forks = hosts (the default, 16, would run 20 hosts in two waves).
  const env: Record<string, string> = {
    ...zone.env,
    LOG_LEVEL: 'warn',
    POLL_INTERVAL_MS: '0',
    WORKER_CONCURRENCY: String(Math.max(16, inventory.hosts.length)),
  };
  const logger = process.env.HOSTNET_TEST_LOGS ? {} : { logger: ['error' as const] };
  let api: INestApplication | undefined;
  let worker: INestApplicationContext | undefined;
  try {
    const started = Date.now();
    worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadConfig(WORKER_CONFIG_KEYS, env)), logger);
    api = await NestFactory.create(ApiModule.forRoot(loadConfig(API_CONFIG_KEYS, env)), { rawBody: true, ...logger });
    setupHttp(api, env['API_TOKEN']!);
    await api.listen(0, '127.0.0.1');
    const url = (await api.getUrl()).replace('[::1]', '127.0.0.1');
    const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> => {
      const headers = { authorization: `Bearer ${env['API_TOKEN']}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const res = await fetch(`${url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json()) as T };
    };
    for (;;) {
      const health = await call<{ status: string }>('GET', '/health').catch(() => undefined);
      if (health?.body.status === 'ok') break;
      if (Date.now() - started > config.timeoutMs) throw new Error('api did not report healthy in time');
      await sleep(POLL_MS);
    }
    const startupMs = Date.now() - started;
    const zoneId = zone.cloudstack.state.zones[0]!.id;

    const runs: LabSteadyRun[] = [];
    for (const label of config.runs) {
      if (config.newConnections?.includes(label)) await worker.get(WarmSessions).closeAll();
      const callsBefore = zone.cloudstack.calls.of('updateHost').length;
      const t0 = Date.now();
      const trigger = await call<{ hostName: string; runId?: string; enqueued: boolean; skipped?: string }[]>('POST', `/zones/${zoneId}/configure`, { requestedBy: 'bench' });
      const triggerMs = Date.now() - t0;
      if (trigger.status !== 202) throw new Error(`${label}: POST /zones/${zoneId}/configure answered ${trigger.status}: ${JSON.stringify(trigger.body)}`);
      const runIds = new Map(trigger.body.filter((r) => wanted.has(r.hostName)).map((r) => [r.hostName, r.runId]));
      const refused = trigger.body.filter((r) => wanted.has(r.hostName) && !r.enqueued);
      if (refused.length > 0) throw new Error(`${label}: not enqueued: ${refused.map((r) => `${r.hostName} (${r.skipped ?? '?'})`).join('; ')}`);
      let latest: StatusRecord[] = [];
      let timedOut = false;
      for (;;) {
        latest = (await call<StatusRecord[]>('GET', '/hosts')).body.filter((s) => wanted.has(s.hostName));
        // a host counts once api recorded a final phase after this trigger
        const done = latest.filter((s) => FINAL_PHASES.has(s.phase) && Date.parse(s.at) >= t0);
        if (done.length === wanted.size) break;
        if (Date.now() - t0 > config.timeoutMs) {
          timedOut = true;
          break;
        }
        await sleep(POLL_MS);
      }
      const durationMs = Date.now() - t0;
      const hosts: LabSteadyHost[] = [];
      let verifiedAt = t0;
      for (const status of latest) {
        const { history } = (await call<{ history: StatusRecord[] }>('GET', `/hosts/${status.hostId}`)).body;
        // newest first: the newest record of this run that carries the worker's outcome
        const record = history.find((r) => r.outcome && (r.runId === undefined || r.runId === runIds.get(status.hostName)) && Date.parse(r.at) >= t0);
        const o = record?.outcome;
        // the oldest record of this run with the outcome: when api recorded the verified result, before the enable
        const recordedAt = history.filter((r) => r.outcome && r.runId === record?.runId && Date.parse(r.at) >= t0).map((r) => Date.parse(r.at));
        if (recordedAt.length > 0) verifiedAt = Math.max(verifiedAt, Math.min(...recordedAt));
        hosts.push({
          name: status.hostName,
          phase: status.phase,
          ...(o ? { status: o.status, ...(o.reason ? { reason: o.reason } : {}), ...(o.target ? { target: o.target } : {}) } : {}),
          changedFiles: (o?.diff?.files ?? []).filter((f) => f.change !== 'same').map((f) => f.path),
          steps: o?.steps?.length ?? 0,
          ...(o?.durationsMs ? { durationsMs: o.durationsMs } : {}),
          ...(o?.steps?.length ? { stepMs: Object.fromEntries(o.steps.map((s) => [s.name, s.durationMs])) } : {}),
        });
      }
      hosts.sort((a, b) => a.name.localeCompare(b.name));
      runs.push({ label, durationMs, verifiedMs: verifiedAt - t0, triggerMs, timedOut, hosts, updateHostCalls: zone.cloudstack.calls.of('updateHost').length - callsBefore });
      if (timedOut) break;
    }
    const report: LabSteadyReport = { zoneStartMs, startupMs, runs };
    process.stdout.write(`LAB-STEADY ${JSON.stringify(report)}\n`);
  } finally {
    await worker?.close();
    await api?.close();
    await zone.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`lab steady driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
