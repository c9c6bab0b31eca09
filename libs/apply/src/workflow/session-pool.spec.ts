import type { ExecResult, HostSession } from '@hostnet/ssh';
import { SYSTEM_CLOCK } from './run-tracker';
import { SessionPool } from './session-pool';

/** A session whose host never answers the close: what a loaded or gone host looks like from the worker. */
class SlowToCloseSession implements HostSession {
  closeCalls = 0;

  async exec(): Promise<ExecResult> {
    return { code: 0, stdout: '', stderr: '' };
  }

  close(): Promise<void> {
    this.closeCalls += 1;
    return new Promise<void>(() => undefined);
  }
}

describe('SessionPool: closing a session never holds the run', () => {
  const pool = (session: HostSession) => new SessionPool(async () => session, SYSTEM_CLOCK, 10);

  it.each(['discard', 'release'] as const)('%s sends the close at once and returns without waiting for the host to close its side', async (how) => {
    const session = new SlowToCloseSession();
    const sessions = pool(session);
    await sessions.connectOnce();
    const started = Date.now();
    await sessions[how](session);
    expect(Date.now() - started).toBeLessThan(500);
    expect(session.closeCalls).toBe(1);
    // closed once: releaseAll at the run's end does not close it again
    await sessions.releaseAll();
    expect(session.closeCalls).toBe(1);
  });

  it('releaseAll closes every session still open, without waiting for any', async () => {
    const first = new SlowToCloseSession();
    const second = new SlowToCloseSession();
    const queue = [first, second];
    const sessions = new SessionPool(async () => queue.shift()!, SYSTEM_CLOCK, 10);
    await sessions.connectOnce();
    await sessions.connectOnce();
    const started = Date.now();
    await sessions.releaseAll();
    expect(Date.now() - started).toBeLessThan(500);
    expect([first.closeCalls, second.closeCalls]).toEqual([1, 1]);
  });

  it('a close that fails is not an error of the run', async () => {
    const session = new SlowToCloseSession();
    session.close = () => Promise.reject(new Error('connection reset'));
    const sessions = pool(session);
    await sessions.connectOnce();
    await expect(sessions.discard(session)).resolves.toBeUndefined();
  });
});
