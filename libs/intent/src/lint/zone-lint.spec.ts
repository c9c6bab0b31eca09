import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { LINT_ZONE_CASES, loadLintZone } from '../../test-support/lint-zones';
import { loadReferenceExample, REFERENCE_EXAMPLES, type ReferenceExampleName } from '../../test-support/reference-examples';
import { lintErrorsForHost, lintZone } from './zone-lint';
import type { LintFinding } from './zone-lint.types';

const codes = (findings: LintFinding[]) => findings.map((f) => `${f.severity}:${f.code}`);

describe('lintZone', () => {
  it.each(Object.keys(REFERENCE_EXAMPLES) as ReferenceExampleName[])('finds nothing on the reference zone with the %s profiles', (name) => {
    const { topology, profileSet } = loadReferenceExample(name);
    expect(lintZone({ topology, profileSet })).toEqual([]);
  });

  /** What each crafted zone must report: its own finding, plus what its construction implies. */
  const EXPECTED: Record<(typeof LINT_ZONE_CASES)[number], string[]> = {
    'duplicate-management-address': ['error:duplicate-management-address'],
    'duplicate-host-address': ['error:duplicate-host-address'],
    'storage-range-too-small': ['error:storage-range-too-small'],
    'agent-bridge-name-too-long': ['error:agent-bridge-name-too-long', 'error:agent-bridge-name-too-long'],
    'label-vlan-conflict': ['warning:label-missing', 'warning:label-vlan-conflict'],
    'label-differs-between-clusters': ['warning:label-differs-between-clusters'],
    'link-local-misuse': ['error:link-local-misuse'],
    'label-missing': ['warning:label-missing'],
    'selector-matches-nothing': ['warning:selector-matches-nothing', 'warning:selector-matches-nothing', 'warning:selector-matches-nothing'],
  };

  it.each(LINT_ZONE_CASES)('finds %s on its crafted zone, with where and the fix', (name) => {
    const findings = lintZone(loadLintZone(name));
    expect(codes(findings)).toEqual(EXPECTED[name]);
    for (const finding of findings) {
      expect(finding.where.zone).toBe('mylab');
      expect(finding.message).toMatch(/; fix: \S/);
    }
  });

  it('names a selector whose pod or cluster the zone does not have, and leaves selectors of other zones alone', () => {
    expect(lintZone(loadLintZone('selector-matches-nothing')).map((f) => f.message)).toEqual([
      'selectors[1] (profile lab) names cluster "clustr2", which zone mylab does not have, so no host of this zone takes it, unless it is meant for another zone; fix: name one of the clusters cluster1, cluster2 (CloudStack id or name)',
      'selectors[2] (profile lab) names pod "pdo1", which zone mylab does not have, so no host of this zone takes it, unless it is meant for another zone; fix: name one of the pods pod1 (CloudStack id or name)',
      'selectors[3] (profile lab) names cluster "cluster9", which zone mylab does not have, so no host of this zone takes it, unless it is meant for another zone; fix: name one of the clusters of pod pod1: cluster1, cluster2 (CloudStack id or name)',
    ]);
  });

  it('names a hosts: entry one typo away from a host that has none of its own, and leaves other entries alone', () => {
    const zone = structuredClone(loadLintZone('selector-matches-nothing'));
    zone.profileSet.selectors = [{ profile: 'lab' }];
    const [first, second] = zone.topology.hosts;
    zone.profileSet.hosts = {
      [`${first!.name.slice(0, -1)}0${first!.name.slice(-1)}`]: { profile: 'lab' }, // kvmhost01 for kvmhost1
      [second!.name.toUpperCase()]: { profile: 'lab' }, // a case slip
      'kvm-in-another-zone-17': { profile: 'lab' },
      // another zone's hosts numbered alike: kvmhost11 and kvmhost3 are not typos of kvmhost1 or kvmhost2
      [`${first!.name}1`]: { profile: 'lab' },
      [`${first!.name.slice(0, -1)}3`]: { profile: 'lab' },
    };
    // (the hosts lost their entries' addresses, so their intents fail too: not what this test is about)
    const entryFindings = (z: typeof zone) => lintZone(z).filter((f) => f.code === 'hosts-entry-matches-nothing');
    const findings = entryFindings(zone);
    expect(findings.map((f) => [f.code, f.where.host, f.hostIds])).toEqual([
      ['hosts-entry-matches-nothing', first!.name, [first!.id]],
      ['hosts-entry-matches-nothing', second!.name, [second!.id]],
    ]);
    expect(findings[0]!.message).toBe(
      `hosts["kvmhost01"] names no host of zone mylab, and host ${first!.name} has no entry of its own: it takes the selectors' profile without the entry's settings, unless the entry is meant for another zone; fix: did you mean ${first!.name}? name the host by its CloudStack name or id`,
    );
    // once the host has its own entry, a look-alike key is taken as another zone's host
    zone.profileSet.hosts[first!.name] = { profile: 'lab' };
    expect(entryFindings(zone).map((f) => f.where.host)).toEqual([second!.name]);
  });

  it('names a hosts: entry with two letters swapped (kmvhost1 for kvmhost1) as one typo, but not two swapped digits', () => {
    const zone = structuredClone(loadLintZone('selector-matches-nothing'));
    zone.profileSet.selectors = [{ profile: 'lab' }];
    const [first] = zone.topology.hosts;
    expect(first!.name).toBe('kvmhost1');
    zone.profileSet.hosts = { kmvhost1: { profile: 'lab' }, kvmhost21: { profile: 'lab' } };
    const findings = lintZone(zone).filter((f) => f.code === 'hosts-entry-matches-nothing');
    expect(findings.map((f) => [f.where.host, f.message.slice(0, 20)])).toEqual([[first!.name, 'hosts["kmvhost1"] na']]);
    // kvmhost12 for kvmhost21 would be the digit rule's other number, never a typo
    zone.topology.hosts[0] = { ...first!, name: 'kvmhost12' };
    expect(lintZone(zone).filter((f) => f.code === 'hosts-entry-matches-nothing').map((f) => f.message)).not.toContainEqual(expect.stringMatching(/^hosts\["kvmhost21"\]/));
  });

  it('takes a cluster name that is unique only within its pod as the pod the selector names', () => {
    const zone = structuredClone(loadLintZone('selector-matches-nothing'));
    const pod2 = { ...zone.topology.pods[0]!, id: 'pod-2', name: 'pod2' };
    zone.topology.pods.push(pod2);
    zone.topology.clusters.push({ ...zone.topology.clusters[0]!, id: 'cluster-2b', podId: pod2.id, name: 'cluster1' });
    zone.profileSet.selectors = [{ profile: 'lab' }, { profile: 'lab', pod: 'pod2', cluster: 'cluster1' }, { profile: 'lab', pod: 'pod2', cluster: 'cluster2' }];
    expect(lintZone(zone).map((f) => f.message)).toEqual([expect.stringMatching(/^selectors\[2\] \(profile lab\) names cluster "cluster2", which is not in pod pod2/)]);
  });

  it('names the hosts sharing a management address and refuses runs of both', () => {
    const [finding] = lintZone(loadLintZone('duplicate-management-address'));
    expect(finding.message).toMatch(/^management address 192\.168\.100\.20 belongs to 2 hosts \(kvmhost1, kvmhost2\)/);
    expect(finding.where).toEqual({ zone: 'mylab', pod: 'pod1', host: 'kvmhost1, kvmhost2' });
    expect(lintErrorsForHost([finding], '8a1ab1e4-0c4e-4d7a-9a4b-000000000302')).toEqual([finding]);
  });

  it('names the hosts sharing a storage address and refuses runs of both; a shared management address is not said twice', () => {
    const [finding] = lintZone(loadLintZone('duplicate-host-address'));
    expect(finding.message).toBe(
      "address 10.0.100.20 is on kvmhost1's cloudbr100 and kvmhost2's cloudbr100; both hosts would answer for it; fix: give each host its own address in the profile's hosts: entries (storageAddress, addresses)",
    );
    expect(finding.where).toEqual({ zone: 'mylab', pod: 'pod1', host: 'kvmhost1, kvmhost2' });
    expect(lintErrorsForHost([finding], '8a1ab1e4-0c4e-4d7a-9a4b-000000000302')).toEqual([finding]);
    expect(codes(lintZone(loadLintZone('duplicate-management-address')))).toEqual(['error:duplicate-management-address']);
  });

  it("leaves cloud0's link-local 169.254.0.1 alone: every Open vSwitch host has it, by design", () => {
    const { topology, profileSet } = loadReferenceExample('el7-ovs');
    const first = topology.hosts[0]!;
    topology.hosts.push({ ...first, id: `${first.id}-2`, name: 'kvmhost2', ipAddress: '192.168.100.21' });
    profileSet.hosts.kvmhost2 = { ...profileSet.hosts[first.name], storageAddress: '10.0.100.21' };
    const findings = lintZone({ topology, profileSet });
    expect(codes(findings)).toEqual([]);
  });

  it("refuses a storage address that is the storage range's gateway", () => {
    const zone = structuredClone(loadLintZone('duplicate-management-address'));
    zone.topology.storageRanges[0]!.gateway = '10.0.100.21';
    expect(lintZone(zone).find((f) => f.code === 'host-intent-invalid')?.message).toMatch(/hosts\.kvmhost2\.storageAddress: "?10\.0\.100\.21"? is the storage range's gateway; fix: pick an address in the subnet that no other device has/);
  });

  it('counts the storage range against the hosts taking a storage address', () => {
    const [finding] = lintZone(loadLintZone('storage-range-too-small'));
    expect(finding.message).toMatch(/^storage range 10\.0\.100\.100-10\.0\.100\.101 holds 2 addresses, but 3 hosts of the pod take a storage address .*at least 3 addresses \(e\.g\. 10\.0\.100\.100-10\.0\.100\.102\)$/);
  });

  it('derives br<pif>-<vlan> from the pif under the label bridge, for guest ranges and the storage VLAN', () => {
    const messages = lintZone(loadLintZone('agent-bridge-name-too-long')).map((f) => f.message);
    expect(messages).toEqual([
      expect.stringMatching(/^Guest on label cloudbr0: the agent would create brenp129s0f1-999 \(16 characters, Linux allows 15\) on 1 host\(s\); fix: give the uplink a shorter name/),
      expect.stringMatching(/^Storage on label cloudbr100: the agent would create brenp129s0f1-100 \(16 characters/),
    ]);
  });

  it('leaves out the storage bridge of agents known to plug storage untagged (before 4.20.2)', () => {
    const zone = structuredClone(loadLintZone('agent-bridge-name-too-long'));
    for (const host of zone.topology.hosts) host.agentVersion = '4.19.1.0';
    expect(lintZone(zone).map((f) => f.message)).toEqual([expect.stringMatching(/^Guest on label cloudbr0: the agent would create brenp129s0f1-999/)]);
  });

  it('checks Public VLANs against the worst case 4094 as a warning unless they are given', () => {
    const zone = loadLintZone('agent-bridge-name-too-long');
    const profileSet = { ...zone.profileSet, profiles: { lab: { ...zone.profileSet.profiles.lab, networks: [zone.profileSet.profiles.lab.networks[0], { ...zone.profileSet.profiles.lab.networks[1], bond: { ...zone.profileSet.profiles.lab.networks[1].bond!, name: 'bond12345' } }] } } };
    const guessed = lintZone({ ...zone, profileSet }).filter((f) => f.message.startsWith('Public'));
    expect(guessed).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/brbond12345-4094 .*VLAN 4094, the worst case: Public VLANs were not given/) })]);
    const exact = lintZone({ ...zone, profileSet, publicVlans: [20, 999] }).filter((f) => f.message.startsWith('Public'));
    expect(exact).toEqual([]);
  });

  it('reports the storage VLAN of a label shared with Management, as issue 11 describes', () => {
    const finding = lintZone(loadLintZone('label-vlan-conflict')).find((f) => f.code === 'label-vlan-conflict')!;
    expect(finding.message).toMatch(/^label cloudbr0 carries Management, Guest and Storage, but the pod's storage range is on VLAN 250 while cloudbr0 is untagged/);
    expect(finding.where).toEqual({ zone: 'mylab', pod: 'pod1', host: 'kvmhost1', physicalNetwork: 'Physical Network 1' });
    expect(finding.message).toContain('CloudStack agent of unknown version (Linux bridge)');
  });

  it('decides the same zone by the agent version once CloudStack reports it', () => {
    const withAgent = (agentVersion: string) => {
      const zone = structuredClone(loadLintZone('label-vlan-conflict'));
      zone.topology.hosts[0].agentVersion = agentVersion;
      return lintZone(zone);
    };
    expect(codes(withAgent('4.22.0.0'))).toEqual(['warning:label-missing']);
    const old = withAgent('4.19.1.0');
    expect(codes(old)).toEqual(['error:host-intent-invalid', 'warning:label-missing']);
    expect(old[0].message).toMatch(/CloudStack 4\.19\.1\.0 agent \(Linux bridge\): plugs storage NICs untagged into cloudbr0/);
  });

  it('compares how clusters realize a label (CloudStack itself stores one label per physical network)', () => {
    const [finding] = lintZone(loadLintZone('label-differs-between-clusters'));
    expect(finding.message).toMatch(/^label cloudbr1 is untagged in cluster cluster1 but on VLAN 300 in cluster cluster2; .*whole zone/);
  });

  it('refuses cloud0 as a label and 169.254/16 addresses outside cloud0', () => {
    const { topology, profileSet } = loadReferenceExample('el7-linux-bridge');
    const bad: ZoneNetworkTopology = JSON.parse(JSON.stringify(topology));
    Object.assign(bad.physicalNetworks[1].trafficTypes[0], { kvmNetworkLabel: 'cloud0', effectiveLabel: 'cloud0' });
    bad.storageRanges[0].gateway = '169.254.0.1';
    const findings = lintZone({ topology: bad, profileSet }).filter((f) => f.code === 'link-local-misuse');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/^Public traffic's KVM label is cloud0, the agent's link-local bridge/),
      expect.stringMatching(/^storage range 10\.0\.100\.100-10\.0\.100\.199 uses 169\.254\.0\.1 in 169\.254\.0\.0\/16; fix:/),
    ]);
    const dns = lintZone(loadLintZone('link-local-misuse'))[0];
    expect(dns.message).toMatch(/^zone DNS 2 169\.254\.169\.254 is in 169\.254\.0\.0\/16; fix:/);
  });

  it('lists hosts whose intent cannot be built, without refusing their runs for it (the run reports it)', () => {
    const { topology, profileSet } = loadReferenceExample('el7-linux-bridge');
    const findings = lintZone({ topology, profileSet: { ...profileSet, hosts: {} } });
    expect(codes(findings)).toEqual(['error:host-intent-invalid']);
    expect(findings[0].message).toMatch(/storageAddress/);
    expect(lintErrorsForHost(findings, topology.hosts[0].id)).toEqual([]);
  });
});
