import { parseBenchArgs } from './bench-options';

describe('parseBenchArgs', () => {
  it('defaults to 500 hosts, concurrency 50, 200 ms apply latency, no lab', () => {
    expect(parseBenchArgs([])).toMatchObject({ hosts: 500, concurrency: 50, applyLatencyMs: 200, lab: false, renderOnly: false, renderZoneHosts: 1203 });
  });

  it('reads every flag, with a space or an equals sign', () => {
    const o = parseBenchArgs(['--hosts', '20', '--concurrency=4', '--apply-latency-ms', '0', '--lab', '--lab-hosts', '6', '--render-only', '--timeout-s', '60', '--enable-wait-s=5', '--render-zone-hosts', '0', '--json', '/tmp/x.json', '--redis-url', 'redis://127.0.0.1:6379']);
    expect(o).toEqual({ hosts: 20, concurrency: 4, applyLatencyMs: 0, lab: true, labHosts: 6, renderOnly: true, timeoutMs: 60_000, enableWaitMs: 5000, renderZoneHosts: 0, json: '/tmp/x.json', redisUrl: 'redis://127.0.0.1:6379' });
  });

  it.each([
    [['--hosts', '0'], /--hosts must be a whole number from 1/],
    [['--hosts', '1e3'], /--hosts must be a whole number/],
    [['--concurrency'], /--concurrency needs a value/],
    [['--redis-url', 'redis://10.0.0.1:6379'], /--redis-url must be a loopback/],
    [['--bogus'], /unknown flag "--bogus"/],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
