import { buildZone } from '../test-support/zone-builder';
import type { RelabelInput, RelabelPlan } from './relabel-plan.types';
import { planRelabel } from './relabel.planner';

/** 40 clusters of 30 hosts and one of 3: 1,203 hosts over 3 pods. */
const BIG = buildZone({ clusterSizes: [...Array.from({ length: 40 }, () => 30), 3], pods: 3 });

const publicRelabel = (overrides: Partial<RelabelInput> = {}): RelabelInput => ({
  topology: BIG,
  changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }],
  strategy: { canary: 2, maxUnavailable: '10%', abortAfter: '1%', maintenance: 'required' },
  publicVlans: [10, 20],
  ...overrides,
});

/** Replays the contract phase: hosts of a cluster in maintenance at once never exceed its limit. */
function maxOutPerCluster(plan: RelabelPlan): Map<string, number> {
  const out = new Map<string, number>();
  for (const wave of plan.waves) {
    const perCluster = new Map<string, number>();
    for (const s of wave.steps) perCluster.set(s.clusterId, (perCluster.get(s.clusterId) ?? 0) + 1);
    for (const [c, n] of perCluster) out.set(c, Math.max(out.get(c) ?? 0, n));
  }
  return out;
}

describe('planRelabel on a 1,203-host zone', () => {
  it('plans a 1,203-host zone: expand everywhere, one flip, canary then waves within maxUnavailable per cluster', () => {
    const plan = planRelabel(publicRelabel());
    // Its speed is a benchmark's business, not a timed test's (a loaded machine made this flaky).

    expect(plan.hostCount).toBe(1203);
    expect(plan.expand).toHaveLength(1203);
    expect(plan.flip).toEqual([{ api: 'updateTrafficType', params: { id: 'tt-public', kvmnetworklabel: 'cloudbr5' }, async: true, condition: 'always' }]);
    expect(plan.calls.filter((c) => c.api === 'updateTrafficType')).toHaveLength(1);
    expect(plan.rollbackFlip[0].params).toEqual({ id: 'tt-public', kvmnetworklabel: 'cloudbr1' });

    // canary first: one host per wave, taken from different clusters
    expect(plan.waves.slice(0, 2).map((w) => [w.kind, w.steps.map((s) => s.hostName)])).toEqual([
      ['canary', ['kvm1']],
      ['canary', ['kvm31']],
    ]);
    expect(plan.waves.slice(2).every((w) => w.kind === 'wave')).toBe(true);

    // 10% of 30 = 3 per cluster, 10% of 3 rounds down to the minimum of 1
    expect(plan.strategy.maxUnavailableByCluster['cluster-000001']).toBe(3);
    expect(plan.strategy.maxUnavailableByCluster['cluster-000041']).toBe(1);
    for (const [clusterId, n] of maxOutPerCluster(plan)) expect(n).toBeLessThanOrEqual(plan.strategy.maxUnavailableByCluster[clusterId]);

    // every host contracted exactly once
    const contracted = plan.waves.flatMap((w) => w.steps.map((s) => s.hostId));
    expect(contracted).toHaveLength(1203);
    expect(new Set(contracted).size).toBe(1203);
    expect(plan.strategy.abortAfter).toBe(13); // ceil(1% of 1203)

    // maintenance wraps every contract step; its files and commands are one request away (rendered per host on demand)
    const first = plan.waves[2].steps[0];
    expect(first.before.map((c) => c.api)).toEqual(['prepareHostForMaintenance']);
    expect(first.after.map((c) => c.api)).toEqual(['cancelHostMaintenance']);
    expect(first.diffHref).toBe(`hosts/${first.hostId}/diff`);
    expect(plan.calls.filter((c) => c.api === 'prepareHostForMaintenance')).toHaveLength(1203);
  });

  it('orders hosts naturally within a cluster (kvm2 before kvm10)', () => {
    const plan = planRelabel(publicRelabel({ strategy: { canary: 0, maxUnavailable: 1 } }));
    const cluster1 = plan.waves.flatMap((w) => w.steps).filter((s) => s.clusterId === 'cluster-000001').map((s) => s.hostName);
    expect(cluster1.slice(0, 11)).toEqual(['kvm1', 'kvm2', 'kvm3', 'kvm4', 'kvm5', 'kvm6', 'kvm7', 'kvm8', 'kvm9', 'kvm10', 'kvm11']);
    expect(plan.waves).toHaveLength(30);
  });

  it('gives the same hash for the same input and another hash when any input changes', () => {
    const a = planRelabel(publicRelabel());
    const b = planRelabel(publicRelabel());
    expect(a.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.planHash).toBe(a.planHash);
    expect(b).toEqual(a);
    expect(planRelabel(publicRelabel({ strategy: { canary: 1, maxUnavailable: '10%', abortAfter: '1%' } })).planHash).not.toBe(a.planHash);
    expect(planRelabel(publicRelabel({ changes: [{ physicalNetwork: 'pn-2', trafficType: 'Public', newLabel: 'cloudbr6' }] })).planHash).not.toBe(a.planHash);
    const moved = structuredClone(BIG);
    moved.hosts[5].resourceState = 'Disabled';
    expect(planRelabel(publicRelabel({ topology: moved })).planHash).not.toBe(a.planHash);
  });
});

describe('planRelabel phases', () => {
  const small = buildZone({ clusterSizes: [3, 2] });

  it('freezes and restarts linux hosts around the flip when the agent derives VLAN bridges for the traffic', () => {
    const plan = planRelabel({ topology: small, changes: [{ physicalNetwork: 'pn-2', trafficType: 'Public', newLabel: 'cloudbr5' }], publicVlans: [10] });
    expect(plan.freeze.map((c) => c.params)).toEqual(['host-1', 'host-2', 'host-3', 'host-4', 'host-5'].map((id) => ({ id, allocationstate: 'Disable' })));
    expect(plan.switch.every((s) => s.restartAgent && s.after[0].params.allocationstate === 'Enable')).toBe(true);
    expect(plan.calls.map((c) => c.api).slice(5, 7)).toEqual(['updateTrafficType', 'updateHost']);
    expect(plan.expand.every((s) => !s.restartAgent)).toBe(true);
  });

  it('restarts OVS agents at expand instead (OVS maps each bridge to itself) and needs no freeze', () => {
    const hostFacts = Object.fromEntries(small.hosts.map((h) => [h.name, { backend: 'ovs' as const }]));
    const plan = planRelabel({ topology: small, changes: [{ physicalNetwork: 'pn-2', trafficType: 'Public', newLabel: 'cloudbr5' }], hostFacts, publicVlans: [10] });
    expect(plan.freeze).toEqual([]);
    expect(plan.switch).toEqual([]);
    expect(plan.expand.every((s) => s.restartAgent && s.backend === 'ovs')).toBe(true);
  });

  it('makes maintenance conditional with when-vms, absent with never, and skips hosts already in Maintenance', () => {
    const zone = structuredClone(small);
    zone.hosts[1].resourceState = 'Maintenance';
    const change = [{ physicalNetwork: 'Physical Network 1', trafficType: 'Storage', newLabel: 'cloudbr200' }];
    const whenVms = planRelabel({ topology: zone, changes: change, strategy: { maintenance: 'when-vms' } });
    const steps = whenVms.waves.flatMap((w) => w.steps);
    expect(steps.find((s) => s.hostId === 'host-1')?.before[0].condition).toBe('if-running-vms');
    expect(steps.find((s) => s.hostId === 'host-2')?.before).toEqual([]);
    expect(whenVms.warnings.map((w) => w.code)).toContain('host-in-maintenance');
    const never = planRelabel({ topology: zone, changes: change, strategy: { maintenance: 'never' } });
    expect(never.calls.filter((c) => c.api !== 'updateTrafficType' && c.api !== 'updateHost')).toEqual([]);
  });

  it('renames a shared bridge when every labelled traffic type on it moves together', () => {
    const plan = planRelabel({
      topology: small,
      changes: [
        { physicalNetwork: 'Physical Network 1', trafficType: 'Management', newLabel: 'cloudbr9' },
        { physicalNetwork: 'Physical Network 1', trafficType: 'guest', newLabel: 'cloudbr9' },
      ],
      hostFacts: { kvm1: { pifs: { cloudbr0: 'bond0' } } },
    });
    expect(plan.flip.map((c) => c.params.id)).toEqual(['tt-mgmt', 'tt-guest']);
    expect(plan.warnings.find((w) => w.code === 'pif-unknown')?.hostIds).toEqual(['host-2', 'host-3', 'host-4', 'host-5']);
  });
});
