import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { applyBegins } from '../support/apply-journals';
import { PipelineHarness } from '../support/pipeline-harness';
import { HostNetworkProcessor } from '../../apps/worker/src/host-network.processor';
import { startApiReplica, startWorkerReplica } from '../support/replicas';

const HOSTS = 8;

/**
 * Two workers and two api replicas on one Redis and QUEUE_PREFIX share a rollout: every host is
 * enqueued once, run once, applied once and enabled once, whichever replica polled or was asked,
 * and both workers take part. (The bench's `--workers 1,2,4` does the same with processes.)
 */
describe('two workers and two api replicas share a rollout: no host run twice', () => {
  let h: PipelineHarness;
  let api2: { app: INestApplication; url: string };
  /** Each worker with the host jobs its BullMQ worker completed (Nest's loggers are global: logs cannot tell them apart). */
  const workers: { app: INestApplicationContext; completed: string[] }[] = [];

  beforeAll(async () => {
    // Pollers driven by hand, so both replicas' passes land together; no worker yet, so every job waits for both.
    h = await PipelineHarness.start({ hosts: HOSTS, applyLatencyMs: 300, worker: false, env: { POLL_INTERVAL_MS: '0', WORKER_CONCURRENCY: '2' } });
    api2 = await startApiReplica(h.env);
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) await w.app.close();
    await api2?.app.close();
    await h?.stop();
  });

  const ids = () => [...h.zone.hosts.keys()].map((name) => h.host(name).id);
  const enables = (id: string) => h.zone.cloudstack.calls.of('updateHost').filter((c) => c.params['id'] === id && c.params['allocationstate'] === 'Enable');
  const applies = () => [...h.zone.hosts.values()].map((kvm) => applyBegins(kvm.rootDir));
  const runsPerWorker = () => workers.map((w) => w.completed.length);
  const settle = () => new Promise((r) => setTimeout(r, 2_000)); // room for a duplicate to show up

  it('both replicas poll the new zone at once: each host is enqueued by exactly one pass, run, applied and enabled once', async () => {
    const zoneId = h.zone.cloudstack.state.zones[0]!.id;
    const pollers = [h.api.get(HostPollerService), api2.app.get(HostPollerService)];
    const passes = await Promise.all([...pollers, ...pollers].map((p) => p.pollZone(zoneId)));
    const enqueued = passes.flatMap((p) => p.enqueued);
    expect(enqueued.sort()).toEqual([...h.zone.hosts.keys()].sort());

    // Both start together, so neither drains the queue before the other is up.
    for (const app of await Promise.all([startWorkerReplica(h.env), startWorkerReplica(h.env)])) {
      const completed: string[] = [];
      app.get(HostNetworkProcessor).worker.on('completed', (job) => completed.push(job.id ?? ''));
      workers.push({ app, completed });
    }
    for (const id of ids()) await h.waitForPhase(id, 'enabled', undefined, 90_000);
    await settle();

    for (const id of ids()) {
      expect(await h.reportedResults(id)).toHaveLength(1);
      expect(enables(id)).toHaveLength(1);
    }
    expect(applies()).toEqual(Array(HOSTS).fill(1));
    const runs = runsPerWorker();
    expect(runs.reduce((a, b) => a + b, 0)).toBe(HOSTS);
    expect(new Set(workers.flatMap((w) => w.completed)).size).toBe(HOSTS); // no job completed by both
    expect(Math.min(...runs)).toBeGreaterThan(0); // both workers took part
  }, 120_000);

  it('the operator re-runs the zone through the other replica: one no-op run per host, nothing applied or enabled', async () => {
    const before = applies();
    const runsBefore = runsPerWorker();
    const res = await fetch(`${api2.url}/zones/${h.zone.cloudstack.state.zones[0]!.id}/configure`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.env.API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ requestedBy: 'e2e-scale-out' }),
    });
    expect(res.status).toBe(202);
    for (const id of ids()) await h.waitForPhase(id, 'enabled', 'e2e-scale-out', 60_000);
    await settle();

    for (const id of ids()) {
      expect(await h.reportedResults(id)).toHaveLength(2);
      expect(enables(id)).toHaveLength(1);
    }
    expect(applies()).toEqual(before);
    expect(runsPerWorker().reduce((a, b, i) => a + b - runsBefore[i]!, 0)).toBe(HOSTS);
  }, 90_000);
});
