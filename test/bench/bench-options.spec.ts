import { parseBenchArgs } from './bench-options';

describe('parseBenchArgs', () => {
  it('defaults to 500 hosts, concurrency 50, 200 ms apply latency, no lab', () => {
    expect(parseBenchArgs([])).toMatchObject({ hosts: 500, concurrency: 50, applyLatencyMs: 200, lab: false, renderOnly: false, renderZoneHosts: 1203, relabel: false, clusters: 10, maxUnavailable: '10%', workers: [1], scaleOutOnly: false, hostModel: 'lean', hostThreads: 4 });
  });

  it('reads every flag, with a space or an equals sign', () => {
    const o = parseBenchArgs(['--hosts', '20', '--concurrency=4', '--apply-latency-ms', '0', '--lab', '--lab-hosts', '6', '--render-only', '--timeout-s', '60', '--enable-wait-s=5', '--render-zone-hosts', '0', '--json', '/tmp/x.json', '--redis-url', 'redis://127.0.0.1:6379', '--host-model', 'scripts', '--host-threads', '2']);
    expect(o).toEqual({ hosts: 20, concurrency: 4, applyLatencyMs: 0, lab: true, labHosts: 6, renderOnly: true, timeoutMs: 60_000, enableWaitMs: 5000, renderZoneHosts: 0, json: '/tmp/x.json', redisUrl: 'redis://127.0.0.1:6379', relabel: false, clusters: 10, maxUnavailable: '10%', workers: [1], scaleOutOnly: false, hostModel: 'scripts', hostThreads: 2 });
  });

  it('reads the relabel flags: a count or a percentage for --max-unavailable', () => {
    expect(parseBenchArgs(['--relabel', '--hosts', '30', '--clusters', '3', '--max-unavailable', '2'])).toMatchObject({ relabel: true, hosts: 30, clusters: 3, maxUnavailable: 2 });
    expect(parseBenchArgs(['--relabel', '--max-unavailable=25%'])).toMatchObject({ relabel: true, hosts: 500, clusters: 10, maxUnavailable: '25%' });
  });

  it('reads the scale-out flags: worker counts from 1, ascending', () => {
    expect(parseBenchArgs(['--workers', '1,2,4', '--scale-out-only'])).toMatchObject({ workers: [1, 2, 4], scaleOutOnly: true });
    expect(parseBenchArgs(['--workers=1,3'])).toMatchObject({ workers: [1, 3], scaleOutOnly: false });
  });

  it.each([
    [['--workers', '2,4'], /--workers must be ascending worker counts .* starting at 1/],
    [['--workers', '1,4,2'], /--workers must be ascending/],
    [['--workers', '1,,2'], /--workers must be ascending/],
    [['--workers', '1,17'], /--workers must be ascending worker counts from 1 to 16/],
    [['--scale-out-only'], /--scale-out-only needs --workers with two or more counts/],
    [['--hosts', '0'], /--hosts must be a whole number from 1/],
    [['--hosts', '1e3'], /--hosts must be a whole number/],
    [['--concurrency'], /--concurrency needs a value/],
    [['--redis-url', 'redis://10.0.0.1:6379'], /--redis-url must be a loopback/],
    [['--bogus'], /unknown flag "--bogus"/],
    [['--host-model', 'fast'], /--host-model must be lean or scripts, got "fast"/],
    [['--max-unavailable', '0'], /--max-unavailable must be a count like 5 or a percentage/],
    [['--max-unavailable', '150%'], /--max-unavailable must be a count like 5 or a percentage/],
    [['--relabel', '--hosts', '4', '--clusters', '5'], /--clusters \(5\) must not exceed --hosts \(4\)/],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
  });
});
