import type { HostSession } from '@hostnet/ssh';
import type { HostFacts } from '../domain/host-facts';
import { resolvePendingRun } from './pending-run.resolver';
import type { RunContext } from './run-context';

/**
 * A run another worker left armed is waited out until its timer restores it: for as long as the timer measures, not
 * for the deadline less the host's clock, which a clock step since it was armed (NTP) puts off by the step.
 */
describe('resolvePendingRun waits for the time the timer has left', () => {
  const wait = async (facts: Partial<HostFacts>) => {
    const slept: number[] = [];
    const ctx = {
      plan: { specHash: 'other-spec' },
      options: { confirmMarginMs: 10_000, rollbackGraceMs: 5_000, reconnectTimeoutMs: 0, reconnectIntervalMs: 100, extraFactPaths: [], factsTimeoutMs: 1_000 },
      clock: { now: () => 0, sleep: async (ms: number) => void slept.push(ms) },
      pool: { release: async () => undefined, connectUntil: async () => undefined },
    } as unknown as RunContext;
    const pending = { runId: 'r1', specHash: 's1', phase: 'armed' as const, deadline: 1_000_000 + 3_600 + 20, appliedSpecHash: 's0', updatedAt: 1 };
    await expect(resolvePendingRun(ctx, {} as HostSession, { hostNow: 1_000_000, runState: pending, ...facts } as HostFacts)).rejects.toThrow('host unreachable while waiting for pending run r1');
    return slept[0];
  };

  it('after the host clock was stepped back an hour: 20 s and the grace, not an hour more', async () => {
    expect(await wait({ deadlineLeft: 20 })).toBe(25_000);
  });

  it('from facts without the time left (an older host script): the deadline less the host clock', async () => {
    expect(await wait({})).toBe(3_625_000);
  });
});
