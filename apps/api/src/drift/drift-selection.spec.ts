import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import type { InFlightRun } from '../runs/host-run.registry';
import { passEveryMs } from './drift-checker.service';
import { selectForDrift, type DriftCandidate, type DriftLimits } from './drift-selection';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const HOUR = 3_600_000;
const limits: DriftLimits = { nowMs: NOW, intervalMs: HOUR, maxInFlight: 10, maxPerPass: 50 };

function host(id: string, state: KvmHost['state'] = 'Up', resourceState: KvmHost['resourceState'] = 'Enabled'): KvmHost {
  return { id, name: id, ipAddress: '10.0.0.1', zoneId: 'z', podId: 'p', clusterId: 'c', state, resourceState, hypervisor: 'KVM' };
}
function latest(id: string, phase: HostPhase, ageMs: number): HostStatusRecord {
  return { hostId: id, hostName: id, zoneId: 'z', phase, at: new Date(NOW - ageMs).toISOString() };
}
function run(id: string, trigger?: InFlightRun['trigger']): InFlightRun {
  return { runId: `run-${id}`, jobId: `host-${id}`, mode: 'dry-run', specHash: 's', at: new Date(NOW).toISOString(), ...(trigger ? { trigger } : {}) };
}
function due(id: string, ageMs = 2 * HOUR): DriftCandidate {
  return { host: host(id), latest: latest(id, 'enabled', ageMs), run: undefined };
}
const ids = (hosts: KvmHost[]) => hosts.map((h) => h.id);

describe('selectForDrift', () => {
  it('checks Enabled+Up hosts whose latest completed run is older than the interval, nothing in flight', () => {
    const candidates: DriftCandidate[] = [
      due('enabled-old'),
      { host: host('no-op'), latest: latest('no-op', 'no-op', 2 * HOUR), run: undefined },
      { host: host('verified'), latest: latest('verified', 'verified', 2 * HOUR), run: undefined },
      { host: host('dry-run'), latest: latest('dry-run', 'dry-run', 2 * HOUR), run: undefined },
      due('recent', HOUR / 2),
      { host: host('disabled', 'Up', 'Disabled'), latest: latest('disabled', 'enabled', 2 * HOUR), run: undefined },
      { host: host('maintenance', 'Up', 'Maintenance'), latest: latest('maintenance', 'enabled', 2 * HOUR), run: undefined },
      { host: host('down', 'Down'), latest: latest('down', 'enabled', 2 * HOUR), run: undefined },
      { host: host('alert', 'Alert'), latest: latest('alert', 'enabled', 2 * HOUR), run: undefined },
      { host: host('unknown'), latest: undefined, run: undefined },
      ...(['failed', 'rolled-back', 'enable-failed', 'queued', 'applying', 'resolved'] as HostPhase[]).map((p) => ({
        host: host(p),
        latest: latest(p, p, 2 * HOUR),
        run: undefined,
      })),
      { ...due('busy'), run: run('busy', 'operator') },
    ];
    const selection = selectForDrift(candidates, limits);
    expect(ids(selection.due).sort()).toEqual(['dry-run', 'enabled-old', 'no-op', 'verified']);
    expect(selection.inFlight).toBe(0);
    expect(selection.deferred).toBe(0);
  });

  it('never has more than DRIFT_MAX_IN_FLIGHT drift checks in flight, oldest checked first', () => {
    const busy = Array.from({ length: 7 }, (_, i) => ({ ...due(`busy${i}`), run: run(`busy${i}`, 'drift') }));
    const operatorRun = { ...due('op'), run: run('op', 'operator') }; // not a drift check: takes no slot
    const waiting = Array.from({ length: 6 }, (_, i) => due(`h${i}`, (2 + i) * HOUR));
    const selection = selectForDrift([...busy, operatorRun, ...waiting], limits);
    expect(selection.inFlight).toBe(7);
    expect(ids(selection.due)).toEqual(['h5', 'h4', 'h3']);
    expect(selection.deferred).toBe(3);

    const full = selectForDrift([...busy, ...Array.from({ length: 3 }, (_, i) => ({ ...due(`b${i}`), run: run(`b${i}`, 'drift') })), ...waiting], limits);
    expect(full.due).toEqual([]);
    expect(full.deferred).toBe(6);
  });

  it('starts at most DRIFT_MAX_PER_PASS per pass', () => {
    const hosts = Array.from({ length: 30 }, (_, i) => due(`h${i}`));
    const selection = selectForDrift(hosts, { ...limits, maxInFlight: 100, maxPerPass: 4 });
    expect(selection.due).toHaveLength(4);
    expect(selection.deferred).toBe(26);
  });
});

describe('drift pass cadence', () => {
  it('runs passes every min(interval, 60 s), never faster than 1 s', () => {
    expect(passEveryMs(15 * 60_000)).toBe(60_000);
    expect(passEveryMs(5_000)).toBe(5_000);
    expect(passEveryMs(10)).toBe(1_000);
  });
});
