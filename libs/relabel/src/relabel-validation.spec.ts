import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { buildZone } from '../test-support/zone-builder';
import { RelabelValidationError } from './relabel-errors';
import type { RelabelInput } from './relabel-plan.types';
import { planRelabel } from './relabel.planner';

const zone = buildZone({ clusterSizes: [3, 2] });
const publicChange = { physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' };

/** The messages planRelabel rejects `input` with. */
function problems(input: Partial<RelabelInput>): string[] {
  try {
    planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], ...input });
  } catch (error) {
    expect(error).toBeInstanceOf(RelabelValidationError);
    expect(error).toBeInstanceOf(HostnetError);
    expect(isPermanentError(error)).toBe(true);
    return (error as RelabelValidationError).violations.map((v) => v.message);
  }
  throw new Error('expected a RelabelValidationError');
}

describe('planRelabel validation', () => {
  it('names an unknown physical network and lists the ones that exist', () => {
    expect(problems({ changes: [{ ...publicChange, physicalNetwork: 'Physical Network 9' }] })).toEqual([
      'changes[0].physicalNetwork: "Physical Network 9" is not a physical network of zone "zone1"; fix: use the id or name of one of "Physical Network 1" (pn-1), "Physical Network 2" (pn-2)',
    ]);
  });

  it('names an unknown or absent traffic type and lists what the network carries', () => {
    expect(problems({ changes: [{ ...publicChange, trafficType: 'Control' }] })[0]).toBe(
      'changes[0].trafficType: "Control" is not a KVM traffic type (Management, Guest, Public, Storage); fix: use one of the traffic types it carries: Public',
    );
    expect(problems({ changes: [{ ...publicChange, trafficType: 'Guest' }] })[0]).toMatch(/is not carried by physical network "Physical Network 2"; fix: use one of the traffic types it carries: Public$/);
  });

  it('rejects new labels that are not valid, free bridge names', () => {
    expect(problems({ changes: [{ ...publicChange, newLabel: 'cloudbr-public-1' }] })[0]).toMatch(/^changes\[0\]\.newLabel: "cloudbr-public-1" is 16 characters long, Linux allows at most 15/);
    expect(problems({ changes: [{ ...publicChange, newLabel: 'br;reboot' }] })[0]).toMatch(/contains characters not allowed/);
    expect(problems({ changes: [{ ...publicChange, newLabel: 'brbond0-200' }] })[0]).toMatch(/is reserved because the CloudStack agent creates br<pif>-<vlan> bridges/);
    expect(problems({ changes: [{ ...publicChange, newLabel: 'cloudbr1' }] })[0]).toMatch(/is already the Public label of "Physical Network 2"; fix: give a new bridge name/);
    expect(problems({ changes: [{ ...publicChange, newLabel: 'cloudbr100' }] })[0]).toMatch(/is already used by Storage on "Physical Network 1".*fix: choose a bridge name no traffic type of the zone uses/);
  });

  it('refuses a new bridge named like an interface the hosts in scope have (a NIC, bond or VLAN interface)', () => {
    const hostFacts = Object.fromEntries(zone.hosts.map((h) => [h.id, { backend: 'ovs' as const, interfaces: ['eth0', 'eth1', 'bond0'] }]));
    expect(problems({ changes: [{ ...publicChange, newLabel: 'bond0' }], hostFacts })).toEqual([
      'changes[0].newLabel: "bond0" is an interface the hosts already have (kvm1, kvm2, kvm3, kvm4, kvm5), so no bridge can take that name; fix: choose a bridge name no NIC, bond or VLAN interface of the hosts uses',
    ]);
    expect(() => planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], hostFacts })).not.toThrow();
    // an earlier change that does not resolve does not shift the index the refusal names
    expect(problems({ changes: [{ ...publicChange, physicalNetwork: 'nope' }, { ...publicChange, newLabel: 'bond0' }], hostFacts })[1]).toMatch(/^changes\[1\]\.newLabel: "bond0" is an interface the hosts already have/);
  });

  it('refuses to split or merge bridges', () => {
    expect(problems({ changes: [{ physicalNetwork: 'pn-1', trafficType: 'Guest', newLabel: 'cloudbr9' }] })[0]).toBe(
      'changes: "Physical Network 1/Management" also uses bridge cloudbr0, which would have to stay beside cloudbr9 on the same uplink (one untagged port serves one bridge); fix: add the change Physical Network 1/Management=cloudbr9 (CLI --changes; in the request: { "physicalNetwork": "Physical Network 1", "trafficType": "Management", "newLabel": "cloudbr9" })',
    );
    const merged = problems({ changes: [publicChange, { physicalNetwork: 'pn-1', trafficType: 'Storage', newLabel: 'cloudbr5' }] });
    expect(merged).toContain('changes: "cloudbr5" would merge bridges cloudbr1 and cloudbr100 into one; fix: give each old bridge its own new label');
    expect(problems({ changes: [publicChange, { ...publicChange, physicalNetwork: 'pn-2' }] })[0]).toMatch(/^changes\[1\]: "Physical Network 2\/Public" repeats changes\[0\]/);
  });

  it('checks the agent-derived br<pif>-<vlan> names on linux hosts against 15 characters', () => {
    const hostFacts = { kvm1: { pifs: { cloudbr0: 'enp129s0f1np1' } }, kvm2: { pifs: { cloudbr0: 'bond0' } }, kvm3: { backend: 'ovs' as const, pifs: { cloudbr0: 'enp129s0f1np1' } } };
    const change = [
      { physicalNetwork: 'pn-1', trafficType: 'Management', newLabel: 'cloudbr9' },
      { physicalNetwork: 'pn-1', trafficType: 'Guest', newLabel: 'cloudbr9' },
    ];
    expect(problems({ changes: change, hostFacts })).toEqual([
      'changes(Physical Network 1/Guest).newLabel: "cloudbr9" leads to VLAN bridges on 1 host(s) (kvm1) where the agent would create brenp129s0f1np1-999 (19 characters, Linux allows 15); fix: give the uplink a shorter name in the host profile (e.g. bond0) or keep the VLAN ids shorter',
    ]);
  });

  it('names unknown clusters and non-KVM clusters in scope, listing the KVM clusters', () => {
    const mixed = structuredClone(zone);
    mixed.clusters.push({ id: 'cluster-x', name: 'vmw1', podId: 'pod-000001', zoneId: 'zone-1', hypervisorType: 'VMware' });
    const found = (() => {
      try {
        planRelabel({ topology: mixed, changes: [publicChange], scope: ['cluster9', 'vmw1'] });
      } catch (e) {
        return (e as RelabelValidationError).violations.map((v) => v.message);
      }
      return [];
    })();
    expect(found).toEqual([
      'scope[0]: "cluster9" is not a cluster of zone "zone1"; fix: use the id or name of one of "cluster1" (cluster-000001), "cluster2" (cluster-000002)',
      'scope[1]: "vmw1" is a VMware cluster; KVM traffic labels do not apply to it; fix: use one of "cluster1" (cluster-000001), "cluster2" (cluster-000002)',
    ]);
  });

  it('refuses a scope that leaves KVM hosts of the zone out: the flip is zone-wide and they would lack the new bridge', () => {
    const [found, ...rest] = problems({ scope: ['cluster2'] });
    expect(rest).toEqual([]);
    expect(found).toBe(
      'scope: ["cluster2"] leaves out 3 KVM host(s) of the zone (kvm1, kvm2, kvm3 in cluster1); CloudStack\'s label is zone-wide, so after the flip ' +
        'they are asked for cloudbr5 for Public, which hostnet will not give them: a VM started there with such a NIC fails to plug, and their next ' +
        'connect is refused ("Can not find network"); fix: leave scope out (every KVM cluster), or give those hosts the new bridge another way first ' +
        'and set outOfScope "leave-behind" (CLI --out-of-scope leave-behind)',
    );
    // Every KVM cluster named, or none: nothing is left out.
    expect(() => planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], scope: ['cluster2', 'cluster1'] })).not.toThrow();
  });

  it('names a host whose cluster the zone\'s cluster list did not show (the zone changed while read), not the scope', () => {
    const racing = structuredClone(zone);
    racing.hosts.push({ ...racing.hosts[0]!, id: 'host-9', name: 'kvm9', clusterId: 'cluster-new' });
    const found = (() => {
      try {
        planRelabel({ topology: racing, changes: [publicChange], publicVlans: [10] });
      } catch (e) {
        return (e as RelabelValidationError).violations.map((v) => v.message);
      }
      return [];
    })();
    expect(found).toEqual(['hosts.kvm9.clusterId: "cluster-new" is a cluster the zone\'s cluster list did not show when it was read; fix: plan again (the zone changed while it was read)']);
  });

  it('plans the scope alone when the operator leaves the other hosts behind on purpose, and names them in a warning', () => {
    const plan = planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], scope: ['cluster2'], outOfScope: 'leave-behind' });
    expect(plan.expand.map((s) => s.hostName)).toEqual(['kvm4', 'kvm5']);
    const warning = plan.warnings.find((w) => w.code === 'out-of-scope-hosts');
    expect(warning?.hostIds).toEqual(['host-1', 'host-2', 'host-3']);
    expect(warning?.message).toMatch(/^3 KVM host\(s\) outside the scope are left behind \(kvm1, kvm2, kvm3 in cluster1\): .*asked for cloudbr5 for Public/);
    expect(problems({ scope: ['cluster2'], outOfScope: 'sometimes' as never })).toEqual([
      'outOfScope: "sometimes" is neither "refuse" nor "leave-behind"; fix: leave it out (refuse), or write "leave-behind"',
    ]);
  });

  it('refuses hosts whose intent changed beyond the relabel unless the request includes it, then warns with their ids', () => {
    const drift = 'its last run applied spec 1111aaaa…; the zone and profiles give spec 2222bbbb… now';
    const hostFacts = { [zone.hosts[1]!.id]: { drift } };
    expect(problems({ hostFacts })).toEqual([
      `hosts.kvm2: holds less than its intent now, beyond the relabel (${drift}): the rollout's expand would apply that too, unreviewed; fix: review it (hostnet plan --host kvm2), then apply it first (hostnet configure --host kvm2) or revert it (the profile, then POST /profiles/reload), and plan again; or include it on purpose: drifted "include" (CLI --drifted include)`,
    ]);
    const plan = planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], hostFacts, drifted: 'include' });
    expect(plan.warnings.find((w) => w.code === 'drifted-hosts')).toMatchObject({ hostIds: [zone.hosts[1]!.id], message: expect.stringMatching(/^1 host\(s\) in scope \(kvm2\) hold changes beyond this relabel/) });
    // what drifted is part of the plan's hash: a host drifting after the plan makes the start plan again
    const other = planRelabel({ topology: zone, changes: [publicChange], publicVlans: [10], hostFacts: { [zone.hosts[1]!.id]: { drift: 'other' } }, drifted: 'include' });
    expect(other.planHash).not.toBe(plan.planHash);
    expect(problems({ drifted: 'sure' as never })).toEqual(['drifted: "sure" is neither "refuse" nor "include"; fix: leave it out (refuse), or write "include"']);
  });

  it('rejects bad strategy values with the accepted forms', () => {
    const found = problems({ strategy: { canary: 9, maxUnavailable: '0%', abortAfter: 0, maintenance: 'sometimes' as never } });
    expect(found).toEqual([
      'strategy.canary: 9 is more than the 5 hosts in scope; fix: use at most 5',
      'strategy.maxUnavailable: "0%" is neither a count nor a percentage from 1% to 100%; fix: write a count like 2 or a percentage like "25%"',
      'strategy.abortAfter: 0 is not an integer of at least 1; fix: write a count like 2 or a percentage like "25%"',
      'strategy.maintenance: "sometimes" is not a maintenance mode; fix: use one of required, when-vms, never',
    ]);
  });

  it('refuses a cluster where CloudStack would refuse maintenance', () => {
    const stuck = structuredClone(zone);
    stuck.hosts[0].resourceState = 'ErrorInPrepareForMaintenance';
    expect(problems({ topology: stuck })[0]).toMatch(/^hosts\.kvm1\.resourceState: "ErrorInPrepareForMaintenance" blocks maintenance in cluster cluster-000001/);
  });

  it('reports every problem at once', () => {
    expect(problems({ changes: [{ physicalNetwork: 'nope', trafficType: 'Public', newLabel: 'x'.repeat(20) }], scope: ['nope'] })).toHaveLength(3);
  });
});
