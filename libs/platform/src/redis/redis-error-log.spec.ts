import { EventEmitter } from 'node:events';
import { logRedisErrors, REDIS_ERROR_LOG_INTERVAL_MS } from './redis-error-log';

describe('logRedisErrors: an outage is a line, not a stack trace per reconnect', () => {
  function watched() {
    const client = new EventEmitter();
    const lines: string[] = [];
    let clock = 0;
    logRedisErrors(client, 'api status', { warn: (m: string) => lines.push(`WARN ${m}`), log: (m: string) => lines.push(`LOG ${m}`) }, () => clock);
    const refuse = (at: number) => {
      clock = at;
      client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6395'));
    };
    const ready = (at: number) => {
      clock = at;
      client.emit('ready');
    };
    return { lines, refuse, ready };
  }

  it('logs the first error, one a minute while it lasts, and the recovery', () => {
    const { lines, refuse, ready } = watched();
    for (let at = 0; at <= 150_000; at += 500) refuse(at); // a reconnect every half second for 2.5 min
    ready(151_000);
    expect(lines).toEqual([
      'WARN api status: Redis error: connect ECONNREFUSED 127.0.0.1:6395 (retrying; logged once a minute while it lasts)',
      'WARN api status: Redis still failing after 60 s (120 errors since the first): connect ECONNREFUSED 127.0.0.1:6395',
      'WARN api status: Redis still failing after 120 s (240 errors since the first): connect ECONNREFUSED 127.0.0.1:6395',
      'LOG api status: Redis reachable again after 151 s',
    ]);
  });

  it('starts a new outage after a recovery, or after a quiet minute from a source that never says it is ready', () => {
    const { lines, refuse, ready } = watched();
    refuse(0);
    ready(1_000);
    refuse(2_000);
    refuse(2_000 + REDIS_ERROR_LOG_INTERVAL_MS + 1); // a Queue or Worker: no 'ready' in between
    expect(lines.filter((l) => l.includes('Redis error'))).toHaveLength(3);
    expect(lines.some((l) => l.includes('still failing'))).toBe(false);
  });
});
