import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { QueueName } from '@hostnet/contracts';
import { HOSTNET_CONFIG } from '@hostnet/platform';
import { PipelineHarness, workerEnvOf } from '../support/pipeline-harness';
import { editLive, withoutDefaultRoute } from '../support/sim-live-state';
import { RecordingLogger } from '../support/recording-logger';
import { dumpPrefix } from '../support/redis-dump';
import { deliverHostEvent } from '../support/webhook-delivery';
import { ensureBuiltApps, WorkerProcess } from '../support/worker-process';

/** Where a secret was seen: a log line or a Redis key. */
interface Sighting {
  secret: string;
  where: string;
}

describe('no secret in logs, job data or Redis', () => {
  const apiLog = new RecordingLogger('api');
  const workerLog = new RecordingLogger('worker');
  let h: PipelineHarness;
  let redis: Redis;
  let secrets: Record<string, string>;
  const sightings: Sighting[] = [];
  const typesSeen = new Set<string>();
  let keysSeen = 0;

  const scanRedis = async () => {
    for (const { key, type, text } of await dumpPrefix(redis, h.env.QUEUE_PREFIX!)) {
      keysSeen++;
      typesSeen.add(type);
      for (const [name, value] of Object.entries(secrets)) if (text.includes(value)) sightings.push({ secret: name, where: `redis ${key}` });
    }
  };

  beforeAll(async () => {
    // Unmasked recording loggers at the most verbose level: the apps must not even try to log a secret.
    h = await PipelineHarness.start({
      hosts: 2,
      personas: ['ubuntu2204', 'centos7'],
      env: { LOG_LEVEL: 'verbose' },
      loggers: { api: apiLog, worker: workerLog },
    });
    redis = h.redis();
    const key = readFileSync(h.env.HOSTNET_SSH_KEY!, 'utf8');
    const keyLines = key.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----'));
    secrets = {
      CLOUDSTACK_SECRET_KEY: h.env.CLOUDSTACK_SECRET_KEY!,
      API_TOKEN: h.env.API_TOKEN!,
      WEBHOOK_SECRET: h.env.WEBHOOK_SECRET!,
      'SSH private key header': 'PRIVATE KEY-----',
      ...Object.fromEntries(keyLines.map((line, i) => [`SSH private key line ${i + 1}`, line])),
    };
    expect(keyLines.length).toBeGreaterThan(2);
  }, 30_000);
  afterAll(async () => {
    await redis?.quit();
    await h?.stop();
  });

  it('keeps every secret out while hosts are configured, dry-run, fail and are refused', async () => {
    const kvm1 = h.host('kvm1');
    const kvm2 = h.host('kvm2');
    // Sample Redis all along: configure jobs are removed as soon as they finish.
    // A tick while a scan still runs is skipped: queued scans would pile up on a loaded machine.
    let sampling: Promise<void> | undefined;
    const sampler = setInterval(() => (sampling ??= scanRedis().finally(() => (sampling = undefined))), 150);
    try {
      await h.waitForPhase(kvm1.id, 'enabled');
      await h.waitForPhase(kvm2.id, 'enabled');
      await h.configure(kvm1.id, { dryRun: true, requestedBy: 'e2e-secrets-dry' });
      await h.waitForDryRun(kvm1.id, 'e2e-secrets-dry');
      const hook = await deliverHostEvent(h.apiUrl, h.env.WEBHOOK_SECRET!, 'HOST.RECONNECT', kvm2.id);
      expect(hook.status).toBe(200);
      await h.until('the webhook run', async () => ((await h.view(kvm2.id))?.history.some((r) => r.trigger?.kind === 'webhook' && r.phase === 'no-op') ? true : undefined));
      // Each forced run below must be a run of its own, not a join of the run before it.
      await Promise.all([h.waitForNoRun(kvm1.id), h.waitForNoRun(kvm2.id)]);
      // drift only netplan apply repairs: a forced run with nothing drifted applies nothing (a re-check)
      editLive(kvm1.kvm, withoutDefaultRoute);
      kvm1.kvm.faults.failCommand = /^netplan apply$/;
      expect((await h.configure(kvm1.id, { force: true, requestedBy: 'e2e-secrets-fail' })).body.enqueued).toBe(true);
      await h.waitForPhase(kvm1.id, 'failed', 'e2e-secrets-fail');
      kvm2.kvm.presentDifferentHostKey();
      expect((await h.configure(kvm2.id, { force: true, requestedBy: 'e2e-secrets-hostkey' })).body.enqueued).toBe(true);
      await h.waitForPhase(kvm2.id, 'failed', 'e2e-secrets-hostkey');
      // A request with a wrong token and a webhook with a bad signature: errors must not echo the real ones.
      expect((await fetch(`${h.apiUrl}/hosts`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await deliverHostEvent(h.apiUrl, 'not-the-webhook-secret', 'HOST.RECONNECT', kvm2.id)).status).toBe(401);
    } finally {
      clearInterval(sampler);
      await sampling;
    }
    await scanRedis();

    // Every job still in Redis, read through BullMQ as well (data, return values, failure reasons).
    for (const name of [QueueName.HostNetwork, QueueName.HostResults]) {
      for (const job of await h.queue(name).getJobs()) {
        const text = JSON.stringify({ data: job.data, returnvalue: job.returnvalue, failedReason: job.failedReason, stack: job.stacktrace });
        for (const [secret, value] of Object.entries(secrets)) if (text.includes(value)) sightings.push({ secret, where: `job ${name}/${job.id}` });
      }
    }
    const lines = [...apiLog.lines.map((l) => `api: ${l}`), ...workerLog.lines.map((l) => `worker: ${l}`)];
    for (const line of lines) {
      for (const [secret, value] of Object.entries(secrets)) {
        if (line.includes(value)) sightings.push({ secret, where: line.split(value).join(`<${secret}>`).slice(0, 300) });
      }
    }

    // The scan saw what it had to see (so a clean result means something)…
    expect(keysSeen).toBeGreaterThan(50);
    expect([...typesSeen].sort()).toEqual(expect.arrayContaining(['hash', 'list', 'stream', 'string', 'zset']));
    const text = lines.join('\n');
    expect(text).toMatch(/→ listHosts/); // CloudStack client debug lines
    expect(text).toMatch(/HostKeyMismatchError/);
    expect(text).toMatch(/phase=outcome jobId=host-\S+ .*status=failed/);
    // …and found no secret anywhere.
    expect(sightings).toEqual([]);
  }, 60_000);

  it('the worker runs without CloudStack keys: its config holds none, and a built worker boots and works with none in its environment', async () => {
    const config = h.worker!.get<Record<string, unknown>>(HOSTNET_CONFIG);
    expect(Object.keys(config).filter((name) => name.startsWith('CLOUDSTACK_') || name === 'HOSTNET_PROFILES')).toEqual([]);
    expect(JSON.stringify(config)).not.toContain(secrets.CLOUDSTACK_SECRET_KEY);

    ensureBuiltApps();
    const env = { ...workerEnvOf(h.env), LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' };
    expect(Object.keys(env).filter((name) => name.startsWith('CLOUDSTACK_'))).toEqual([]);
    const worker = WorkerProcess.start(env);
    try {
      await worker.waitForLine(/worker started/, 60_000);
      const environ = readFileSync(`/proc/${worker.pid}/environ`, 'utf8');
      expect(environ).not.toContain('CLOUDSTACK_');
      expect(environ).not.toContain(secrets.CLOUDSTACK_SECRET_KEY);
      // It takes a configure job (two workers share the queue now) and the host is enabled after a verified run.
      await h.worker!.close();
      h.worker = undefined;
      const kvm1 = h.host('kvm1');
      kvm1.kvm.faults.failCommand = undefined;
      await h.configure(kvm1.id, { force: true, requestedBy: 'e2e-secrets-keyless-worker' });
      await h.waitForPhase(kvm1.id, 'enabled', 'e2e-secrets-keyless-worker', 60_000);
      expect(worker.output.join('\n')).not.toMatch(/ignored CLOUDSTACK_/);
    } finally {
      await worker.stop();
    }
  }, 120_000);

  it('a worker started with CloudStack keys anyway warns, naming them (never their values), and drops them', async () => {
    ensureBuiltApps();
    const worker = WorkerProcess.start({ ...h.env, LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' });
    try {
      const line = await worker.waitForLine(/ignored CLOUDSTACK_/, 60_000);
      expect(line).toMatch(/ignored (CLOUDSTACK_\w+, )*CLOUDSTACK_API_KEY, (CLOUDSTACK_\w+, )*CLOUDSTACK_SECRET_KEY\b.*: the worker reads no CloudStack/);
      await worker.waitForLine(/worker started/, 60_000);
      expect(worker.output.join('\n')).not.toContain(secrets.CLOUDSTACK_SECRET_KEY);
    } finally {
      await worker.stop();
    }
  }, 90_000);

  it('a worker reading a .env shared with api (as .env.example is) takes none of its CloudStack keys, and says so without a warning', async () => {
    ensureBuiltApps();
    const dir = mkdtempSync(join(tmpdir(), 'hostnet-shared-env-'));
    const file = join(dir, 'shared.env');
    writeFileSync(file, `CLOUDSTACK_URL=${h.env.CLOUDSTACK_URL}\nCLOUDSTACK_API_KEY=${h.env.CLOUDSTACK_API_KEY}\nCLOUDSTACK_SECRET_KEY=${secrets.CLOUDSTACK_SECRET_KEY}\n`);
    const worker = WorkerProcess.start({ ...workerEnvOf(h.env), HOSTNET_ENV_FILE: file, LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' });
    try {
      const line = await worker.waitForLine(/read .*shared\.env: /, 60_000);
      expect(line).toMatch(/read .*shared\.env: 0 variables \(0 set by the environment instead; CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY, CLOUDSTACK_URL left to api\)/);
      expect(readFileSync(`/proc/${worker.pid}/environ`, 'utf8')).not.toContain('CLOUDSTACK_');
      expect(worker.output.join('\n')).not.toMatch(/ignored CLOUDSTACK_|WARN/);
      expect(worker.output.join('\n')).not.toContain(secrets.CLOUDSTACK_SECRET_KEY);
    } finally {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
