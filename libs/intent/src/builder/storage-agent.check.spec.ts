import type { BridgeBackend } from '../domain/host-network-intent';
import { exampleInputs } from '../../test-support/intent-fixtures';
import { loadLintZone } from '../../test-support/lint-zones';
import { tryBuildHostIntent, type BuildHostIntentInput } from './host-intent.builder';

/**
 * The storage version rule applied by the builder, on the two layouts issue 11 item 1 contrasts:
 * - reference: Storage's own label cloudbr100 served by an extras bridge on bond0.100 (storage VLAN 100);
 * - fallback: Storage without a label (the agent uses the management bridge cloudbr0, untagged) and the
 *   storage range on VLAN 250.
 */
function reference(backend: BridgeBackend): BuildHostIntentInput {
  return exampleInputs(backend === 'linux' ? 'el7-linux-bridge' : 'el7-ovs');
}

function fallback(backend: BridgeBackend): BuildHostIntentInput {
  const { topology, profileSet } = structuredClone(loadLintZone('label-vlan-conflict'));
  return { topology, profileSet, hostId: 'kvmhost1', backend };
}

function build(input: BuildHostIntentInput, agentVersion: string | undefined) {
  if (agentVersion !== undefined) input.topology.hosts[0].agentVersion = agentVersion;
  return tryBuildHostIntent(input);
}

const REFERENCE_VLAN = 'profiles.el7-linux-bridge.extras[0].vlan';
const FALLBACK_STORAGE = 'topology.physicalNetworks[0].trafficTypes[2].effectiveLabel';

describe('storage version rule in the builder (4.19, 4.20.1, 4.20.2 and 4.22 agents, Linux bridge and OVS)', () => {
  it.each<[string, 'reference' | 'fallback', BridgeBackend, string, null | [string, RegExp]]>([
    ['pre-4.20.2 agents find cloudbr100 on VLAN 100', 'reference', 'linux', '4.19.1.0', null],
    ['pre-4.20.2 agents find cloudbr100 on VLAN 100', 'reference', 'linux', '4.20.1.0', null],
    ['4.20.2+ agents would take bond0.100 from cloudbr100', 'reference', 'linux', '4.20.2.0', [REFERENCE_VLAN, /^profiles\.el7-linux-bridge\.extras\[0\]\.vlan: "bond0\.100" — CloudStack 4\.20\.2\.0 agent \(Linux bridge\): for the storage NIC the agent itself creates brbond0-100 from bond0\.100 on the pif under cloudbr100, the Storage label's bridge .*hostnet must not put bond0\.100 into cloudbr100.*; fix: let the agent own bond0\.100: set Storage's KVM label in CloudStack to an untagged bridge on bond0/]],
    ['4.20.2+ agents would take bond0.100 from cloudbr100', 'reference', 'linux', '4.22.0.0', [REFERENCE_VLAN, /CloudStack 4\.22\.0\.0 agent \(Linux bridge\): for the storage NIC the agent itself creates brbond0-100/]],
    ['OVS agents plug into the fake bridge cloudbr100 (VLAN 100)', 'reference', 'ovs', '4.19.1.0', null],
    ['OVS agents plug into the fake bridge cloudbr100 (VLAN 100)', 'reference', 'ovs', '4.20.1.0', null],
    ['OVS agents plug into the fake bridge cloudbr100 (VLAN 100)', 'reference', 'ovs', '4.20.2.0', null],
    ['OVS agents plug into the fake bridge cloudbr100 (VLAN 100)', 'reference', 'ovs', '4.22.0.0', null],
    ['pre-4.20.2 agents plug storage untagged into cloudbr0', 'fallback', 'linux', '4.19.1.0', [FALLBACK_STORAGE, /^topology\.physicalNetworks\[0\]\.trafficTypes\[2\]\.effectiveLabel: "cloudbr0" — CloudStack 4\.19\.1\.0 agent \(Linux bridge\): plugs storage NICs untagged into cloudbr0, the management bridge \(Storage has no KVM label\), which is untagged, but the pod's storage range is on VLAN 250, so storage traffic would leave on the wrong VLAN; fix: give Storage its own KVM label in CloudStack \(e\.g\. cloudbr250\) .*or upgrade the agent to 4\.20\.2 or later/]],
    ['pre-4.20.2 agents plug storage untagged into cloudbr0', 'fallback', 'linux', '4.20.1.0', [FALLBACK_STORAGE, /CloudStack 4\.20\.1\.0 agent \(Linux bridge\): plugs storage NICs untagged into cloudbr0/]],
    ['4.20.2+ agents build brbond0-250 themselves', 'fallback', 'linux', '4.20.2.0', null],
    ['4.20.2+ agents build brbond0-250 themselves', 'fallback', 'linux', '4.22.0.0', null],
    ['OVS agents plug storage untagged into cloudbr0', 'fallback', 'ovs', '4.19.1.0', [FALLBACK_STORAGE, /CloudStack 4\.19\.1\.0 agent \(Open vSwitch\): plugs storage NICs untagged into cloudbr0, the management bridge .*wrong VLAN; fix: give Storage its own KVM label in CloudStack \(e\.g\. cloudbr250\) served by an extras bridge on VLAN 250, or put the storage range on the VLAN cloudbr0 is on$/]],
    ['OVS agents plug storage untagged into cloudbr0', 'fallback', 'ovs', '4.20.1.0', [FALLBACK_STORAGE, /CloudStack 4\.20\.1\.0 agent \(Open vSwitch\)/]],
    ['OVS agents plug storage untagged into cloudbr0', 'fallback', 'ovs', '4.20.2.0', [FALLBACK_STORAGE, /CloudStack 4\.20\.2\.0 agent \(Open vSwitch\)/]],
    ['OVS agents plug storage untagged into cloudbr0', 'fallback', 'ovs', '4.22.0.0', [FALLBACK_STORAGE, /CloudStack 4\.22\.0\.0 agent \(Open vSwitch\)/]],
  ])('%s: %s zone, %s, %s agent', (_why, layout, backend, version, refusal) => {
    const result = build(layout === 'reference' ? reference(backend) : fallback(backend), version);
    if (refusal === null) {
      if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
      return;
    }
    expect(result.ok).toBe(false);
    const [field, message] = refusal;
    const hit = !result.ok && result.violations.find((v) => v.field === field);
    if (!hit) throw new Error(`no violation at ${field}; got:\n${!result.ok && result.violations.map((v) => v.message).join('\n')}`);
    expect(hit.message).toMatch(message);
  });

  it('4.22 agent, Linux bridge, unlabeled Storage on VLAN 250: hostnet leaves bond0.250 and brbond0-250 to the agent', () => {
    const result = build(fallback('linux'), '4.22.0.0');
    if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
    expect(result.intent.vlans).toEqual([]);
    expect(result.intent.bridges.map((b) => [b.name, b.uplink, b.trafficTypes])).toEqual([
      ['cloudbr0', 'bond0', ['Management', 'Guest', 'Storage']],
      ['cloudbr1', 'bond1', ['Public']],
    ]);
  });

  it('an agent of unknown version keeps the earlier checks: untagged accepted (the lint warns), another VLAN refused', () => {
    expect(build(fallback('linux'), undefined).ok).toBe(true);
    const input = fallback('linux');
    input.profileSet.profiles.lab.networks[0].managementVlan = 200;
    const result = build(input, undefined);
    const hit = !result.ok && result.violations.find((v) => v.field === 'profiles.lab.networks[0].labelVlans.cloudbr0');
    expect(hit && hit.message).toMatch(/^profiles\.lab\.networks\[0\]\.labelVlans\.cloudbr0: 200 — CloudStack agent of unknown version \(Linux bridge\): plugs storage NICs untagged into cloudbr0, .*which is on VLAN 200, but the pod's storage range is on VLAN 250.*or let CloudStack report the agent's version/);
  });

  it('a 4.22 agent accepts the management bridge on its own VLAN: the agent tags storage on bond0.250 itself', () => {
    const input = fallback('linux');
    input.profileSet.profiles.lab.networks[0].managementVlan = 200;
    const result = build(input, '4.22.0.0');
    if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
    expect(result.intent.vlans.map((v) => v.name)).toEqual(['bond0.200']);
  });
});
