import { specHash } from '@hostnet/contracts';
import { buildZone } from '../../relabel/test-support/zone-builder';
import { DerivedSpecMemo } from './derived-spec.memo';

describe('DerivedSpecMemo: a host spec derived again only when its inputs changed', () => {
  const derived = (memo: DerivedSpecMemo<{ hash: string }>, topology: ReturnType<typeof buildZone>, hostId: string, profiles: object) => {
    let calls = 0;
    const value = memo.get(topology, hostId, profiles, () => (calls++, { hash: specHash({ host: topology.hosts.find((h) => h.id === hostId), labels: topology.physicalNetworks }) }));
    return { value, calls };
  };

  it('serves the same inputs from the memo, even from another topology object (the next poller pass)', () => {
    const memo = new DerivedSpecMemo<{ hash: string }>();
    const profiles = {};
    const first = derived(memo, buildZone({ clusterSizes: [2] }), 'host-1', profiles);
    const again = derived(memo, buildZone({ clusterSizes: [2] }), 'host-1', profiles);
    expect([first.calls, again.calls, again.value]).toEqual([1, 0, first.value]);
    expect(Object.isFrozen(again.value)).toBe(true);
  });

  it('keeps the spec of a host whose state alone changed (Disabled to Enabled, Alert to Up)', () => {
    const memo = new DerivedSpecMemo<{ hash: string }>();
    const profiles = {};
    const zone = buildZone({ clusterSizes: [2] });
    derived(memo, zone, 'host-1', profiles);
    zone.hosts[0] = { ...zone.hosts[0]!, state: 'Alert', resourceState: 'Disabled' };
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(0);
    zone.hosts[0] = { ...zone.hosts[0]!, state: 'Up', resourceState: 'Enabled' };
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(0);
    zone.hosts[0] = { ...zone.hosts[0]!, agentVersion: '4.20.0.0' };
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(1);
  });

  it('derives anew when the host, the rest of the zone (changed in place too) or the profiles changed', () => {
    const memo = new DerivedSpecMemo<{ hash: string }>();
    const profiles = {};
    const zone = buildZone({ clusterSizes: [2] });
    derived(memo, zone, 'host-1', profiles);
    zone.hosts[0] = { ...zone.hosts[0]!, ipAddress: '10.9.9.9' };
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(1);
    zone.physicalNetworks[1]!.trafficTypes[0]!.kvmNetworkLabel = 'cloudbr7';
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(1);
    expect(derived(memo, zone, 'host-1', profiles).calls).toBe(0);
    expect(derived(memo, zone, 'host-1', {}).calls).toBe(1);
    expect(derived(memo, zone, 'host-2', profiles).calls).toBe(1);
  });

  it('keeps no error and derives names and unknown hosts every time', () => {
    const memo = new DerivedSpecMemo<{ hash: string }>();
    const zone = buildZone({ clusterSizes: [1] });
    let calls = 0;
    const fail = () => {
      calls++;
      throw new Error('invalid');
    };
    expect(() => memo.get(zone, 'host-1', {}, fail)).toThrow('invalid');
    expect(() => memo.get(zone, 'host-1', {}, fail)).toThrow('invalid');
    memo.get(zone, 'kvm1', {}, () => (calls++, { hash: 'x' }));
    memo.get(zone, 'kvm1', {}, () => (calls++, { hash: 'x' }));
    expect(calls).toBe(4);
  });

  it('finds each host as the array holds it now, after hosts were reordered, removed or added in place', () => {
    const memo = new DerivedSpecMemo<{ hash: string }>();
    const profiles = {};
    const zone = buildZone({ clusterSizes: [3] });
    for (const h of zone.hosts) derived(memo, zone, h.id, profiles);
    zone.hosts.reverse();
    expect(zone.hosts.map((h) => derived(memo, zone, h.id, profiles).calls)).toEqual([0, 0, 0]);
    const [gone] = zone.hosts.splice(0, 1);
    expect(derived(memo, zone, gone!.id, profiles).calls).toBe(1); // unknown now: derived, not served
    zone.hosts.push({ ...gone!, ipAddress: '10.9.9.9' });
    expect(derived(memo, zone, gone!.id, profiles).calls).toBe(1); // back, with another address
    expect(zone.hosts.map((h) => derived(memo, zone, h.id, profiles).calls)).toEqual([0, 0, 0]);
  });
});
