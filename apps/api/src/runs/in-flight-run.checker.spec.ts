import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { ConfigureHostJobData, ReportResultJobData } from '@hostnet/contracts';
import type { InFlightRun } from './host-run.registry';
import { InFlightRunChecker } from './in-flight-run.checker';

describe('InFlightRunChecker: whether a recorded run can still end in a result (real Redis)', () => {
  const connection = { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' };
  const prefix = `hostnet-in-flight-spec-${randomBytes(4).toString('hex')}`;
  const hostJobs = new Queue<ConfigureHostJobData>('host-network', { connection, prefix });
  const results = new Queue<ReportResultJobData>('host-results', { connection, prefix });
  const checker = new InFlightRunChecker(hostJobs, results);
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const run = (name: string, at = ago(60_000)): InFlightRun => ({ runId: `run-${name}`, jobId: `host-${name}`, mode: 'apply', specHash: 'a'.repeat(64), at });

  afterAll(async () => {
    await hostJobs.obliterate({ force: true });
    await results.obliterate({ force: true });
    await Promise.all([hostJobs.close(), results.close()]);
  });

  it('answers each run in the order asked: its own configure job or a pending result keeps it, a job of another run or none does not', async () => {
    await hostJobs.add('configure', { requestId: 'run-own' } as ConfigureHostJobData, { jobId: 'host-own' });
    await hostJobs.add('configure', { requestId: 'run-older' } as ConfigureHostJobData, { jobId: 'host-other' });
    await results.add('report', { configureJobId: 'host-reported', request: { requestId: 'run-reported' } as ConfigureHostJobData, outcome: {} as ReportResultJobData['outcome'], finishedAt: ago(0), attempts: 1 });
    const runs = [run('gone'), run('own'), run('other'), run('fresh', ago(1_000)), run('reported')];
    expect(await checker.stillInFlightMany(runs)).toEqual([false, true, false, true, true]);
    expect(await checker.stillInFlight(run('own'))).toBe(true);
    expect(await checker.stillInFlight(run('other'))).toBe(false);
    expect(await checker.stillInFlightMany([])).toEqual([]);
    // a run whose time cannot be read is looked up, never taken as in flight for ever
    expect(await checker.stillInFlight(run('gone', 'not a time'))).toBe(false);
  });
});
