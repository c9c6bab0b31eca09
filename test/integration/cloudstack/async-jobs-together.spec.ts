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

  it(`${N} concurrent reconnects are read by one listAsyncJobs per tick, not one query per job`, async () => {
    const client = new CloudStackClient({ url: sim.url, ...KEYS, maxConcurrent: N, asyncJobs: { pollIntervalMs: INTERVAL_MS, timeoutMs: 30_000 } });
    const ids = sim.state.hosts.map((h) => h.id);
    expect(ids).toHaveLength(N);
    sim.calls.clear();
    const started = Date.now();
    const hosts = await Promise.all(ids.map((id) => client.reconnectHost(id)));
    const durationMs = Date.now() - started;
    // Each result came from the listing's jobresult: the host as the job left it.
    expect(hosts.map((h) => h.id)).toEqual(ids);
    expect(hosts.map((h) => h.state)).toEqual(ids.map(() => 'Up'));

    expect(sim.calls.mutations()).toHaveLength(N);
    const listings = sim.calls.of('listAsyncJobs');
    const queries = sim.calls.of('queryAsyncJobResult');
    const polls = ticks([...listings, ...queries]);
    // One loop: reads come in bursts an interval apart, never one timer per job.
    expect(polls.length).toBeLessThanOrEqual(Math.ceil(durationMs / INTERVAL_MS));
    // A tick with several jobs pending lists them in one page; a job is queried alone only in a tick where it was the one pending.
    for (const tick of polls) {
      expect(tick.filter((c) => c.command === 'listAsyncJobs').length + tick.filter((c) => c.command === 'queryAsyncJobResult').length).toBe(1);
    }
    expect(listings.length).toBeGreaterThanOrEqual(Math.floor(JOB_MS / INTERVAL_MS));
    expect(queries.length).toBeLessThanOrEqual(2);
    expect(listings.every((l) => l.params['page'] === '1' && l.params['pagesize'] === '500')).toBe(true);
  }, 60_000);
});
