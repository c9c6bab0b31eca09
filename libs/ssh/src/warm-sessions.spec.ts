import type { ExecResult } from './host-session';
import { WarmSessions, type KeepableSession } from './warm-sessions';

class FakeSession implements KeepableSession {
  closed = false;
  closes = 0;
  exec(): Promise<ExecResult> {
    return Promise.resolve({ code: 0, stdout: '', stderr: '' });
  }
  close(): Promise<void> {
    this.closes += 1;
    this.closed = true;
    return Promise.resolve();
  }
}

const endpoint = (host: string, over: Partial<{ username: string; port: number; useSudo: boolean; privateKeyPath: string }> = {}) => ({
  host,
  port: 22,
  username: 'root',
  privateKeyPath: '/etc/hostnet/id_ed25519',
  useSudo: false,
  ...over,
});

describe('WarmSessions', () => {
  afterEach(() => jest.useRealTimers());

  it('gives a parked session back once, to the same endpoint only', () => {
    const warm = new WarmSessions(60_000, 10);
    const a = warm.forEndpoint(endpoint('10.0.0.1'));
    const session = new FakeSession();
    expect(a.park(session)).toBe(true);
    expect(warm.forEndpoint(endpoint('10.0.0.2')).take()).toBeUndefined();
    expect(warm.forEndpoint(endpoint('10.0.0.1', { username: 'deploy', useSudo: true })).take()).toBeUndefined();
    expect(warm.forEndpoint(endpoint('10.0.0.1', { port: 2222 })).take()).toBeUndefined();
    expect(warm.forEndpoint(endpoint('10.0.0.1', { privateKeyPath: '/other/key' })).take()).toBeUndefined();
    expect(a.take()).toBe(session);
    expect(a.take()).toBeUndefined();
    expect(session.closes).toBe(0);
    expect(warm.reused).toBe(1);
  });

  it('keeps the newer of two sessions to one endpoint and closes the older', () => {
    const warm = new WarmSessions(60_000, 10);
    const a = warm.forEndpoint(endpoint('10.0.0.1'));
    const older = new FakeSession();
    const newer = new FakeSession();
    a.park(older);
    a.park(newer);
    expect(older.closes).toBe(1);
    expect(warm.size).toBe(1);
    expect(a.take()).toBe(newer);
  });

  it('does not keep or give back a session that is gone, and keeps none when turned off', () => {
    const gone = new FakeSession();
    gone.closed = true;
    const warm = new WarmSessions(60_000, 10);
    expect(warm.forEndpoint(endpoint('h')).park(gone)).toBe(false);
    const live = new FakeSession();
    warm.forEndpoint(endpoint('h')).park(live);
    live.closed = true; // the host closed it while it was idle
    expect(warm.forEndpoint(endpoint('h')).take()).toBeUndefined();
    expect(new WarmSessions(0, 10).forEndpoint(endpoint('h')).park(new FakeSession())).toBe(false);
    expect(new WarmSessions(60_000, 0).forEndpoint(endpoint('h')).park(new FakeSession())).toBe(false);
  });

  it('closes the least recently parked beyond its limit', () => {
    const warm = new WarmSessions(60_000, 2);
    const sessions = [new FakeSession(), new FakeSession(), new FakeSession()];
    warm.forEndpoint(endpoint('h1')).park(sessions[0]!);
    warm.forEndpoint(endpoint('h2')).park(sessions[1]!);
    warm.forEndpoint(endpoint('h3')).park(sessions[2]!);
    expect(sessions.map((s) => s.closes)).toEqual([1, 0, 0]);
    expect(warm.forEndpoint(endpoint('h1')).take()).toBeUndefined();
    expect(warm.forEndpoint(endpoint('h3')).take()).toBe(sessions[2]);
  });

  it('closes a session left idle for its time', () => {
    jest.useFakeTimers();
    const warm = new WarmSessions(60_000, 10);
    const session = new FakeSession();
    warm.forEndpoint(endpoint('h')).park(session);
    jest.advanceTimersByTime(59_999);
    expect(session.closes).toBe(0);
    jest.advanceTimersByTime(1);
    expect(session.closes).toBe(1);
    expect(warm.size).toBe(0);
  });

  it('a taken and parked-again session gets a new idle time', () => {
    jest.useFakeTimers();
    const warm = new WarmSessions(60_000, 10);
    const h = warm.forEndpoint(endpoint('h'));
    const session = new FakeSession();
    h.park(session);
    jest.advanceTimersByTime(50_000);
    expect(h.take()).toBe(session);
    h.park(session);
    jest.advanceTimersByTime(50_000);
    expect(session.closes).toBe(0);
    expect(h.take()).toBe(session);
  });

  it('gives a session out for at most its maximum age after it was first kept, then closes it', () => {
    let now = 0;
    const warm = new WarmSessions(60_000, 10, 600_000, () => now);
    const h = warm.forEndpoint(endpoint('h'));
    const session = new FakeSession();
    h.park(session);
    now = 590_000; // taken and kept again just before its maximum age
    expect(h.take()).toBe(session);
    h.park(session);
    now = 600_000;
    expect(h.take()).toBeUndefined();
    expect(session.closes).toBe(1);
  });

  it('closes everything at shutdown and keeps nothing after', async () => {
    const warm = new WarmSessions(60_000, 10);
    const kept = new FakeSession();
    warm.forEndpoint(endpoint('h')).park(kept);
    await warm.closeAll();
    expect(kept.closes).toBe(1);
    expect(warm.forEndpoint(endpoint('h')).park(new FakeSession())).toBe(false);
    expect(warm.size).toBe(0);
  });
});
