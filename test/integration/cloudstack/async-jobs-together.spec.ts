import { CloudStackClient } from '@hostnet/cloudstack';
import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology, type RecordedCall } from '../../../apps/simulator/src/cloudstack';
import { seedZone } from '../../../apps/simulator/src/environment/zone-seed';

const KEYS = { apiKey: 'sim-api-key', secretKey: 'sim-secret-key' };
const N = 24;
const INTERVAL_MS = 200;
const JOB_MS = 700;

/** Queries sent together (each within a third of the interval of the one before) form one tick; every request may be in flight at once. */
function ticks(queries: RecordedCall[]): RecordedCall[][] {
  const out: RecordedCall[][] = [];
  let last = -Infinity;
  for (const q of [...queries].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (q.at.getTime() - last > INTERVAL_MS / 3) out.push([]);
    out[out.length - 1]!.push(q);
    last = q.at.getTime();
  }
  return out;
}

describe('async jobs in flight together are polled together', () => {
  let sim: CloudStackSimulator;

  beforeAll(async () => {
    const { topology } = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), N);
    sim = await CloudStackSimulator.start({ topology, ...KEYS, asyncJobDelayMs: JOB_MS });
  });
  afterAll(async () => sim?.stop());

  it(`${N} concurrent reconnects cost at most N + ceil(duration / interval) × (calls per tick) queries, one tick loop for all`, async () => {
    const client = new CloudStackClient({ url: sim.url, ...KEYS, maxConcurrent: N, asyncJobs: { pollIntervalMs: INTERVAL_MS, timeoutMs: 30_000 } });
    const ids = sim.state.hosts.map((h) => h.id);
    expect(ids).toHaveLength(N);
    sim.calls.clear();
    const started = Date.now();
    const hosts = await Promise.all(ids.map((id) => client.reconnectHost(id)));
    const durationMs = Date.now() - started;
    expect(hosts.map((h) => h.state)).toEqual(ids.map(() => 'Up'));

    const queries = sim.calls.of('queryAsyncJobResult');
    const perTick = ticks(queries);
    expect(sim.calls.mutations()).toHaveLength(N);
    // One loop: queries come in bursts an interval apart, never one timer per job.
    expect(perTick.length).toBeLessThanOrEqual(Math.ceil(durationMs / INTERVAL_MS));
    const callsPerTick = Math.max(...perTick.map((t) => t.length));
    expect(queries.length).toBeLessThanOrEqual(N + Math.ceil(durationMs / INTERVAL_MS) * callsPerTick);
    // Each tick asks about each pending job once, and a job is never asked about again once it answered done.
    for (const tick of perTick) expect(new Set(tick.map((q) => q.params['jobid'])).size).toBe(tick.length);
    const pendingTicks = Math.ceil(JOB_MS / INTERVAL_MS) + 1;
    const perJob = new Map<string, number>();
    for (const q of queries) perJob.set(q.params['jobid']!, (perJob.get(q.params['jobid']!) ?? 0) + 1);
    expect(perJob.size).toBe(N);
    expect(Math.max(...perJob.values())).toBeLessThanOrEqual(pendingTicks + 1);
    // No query before a job has had one interval to run: the old per-job loop asked at once, always pending.
    expect(queries.length).toBeLessThanOrEqual(N * pendingTicks);
  }, 60_000);
});
