import { join } from 'node:path';
import type { HostNetworkIntent } from '../domain/host-network-intent';
import { exampleInputs } from '../../test-support/intent-fixtures';
import { EXAMPLES_DIR, loadExampleTopology } from '../../test-support/reference-examples';
import { loadProfileSetFile } from '../profile/profile-file.loader';
import { validateHostIntent } from '../validation/host-intent.validator';
import { IntentValidationError } from '../validation/intent-violation';
import { buildHostIntent, tryBuildHostIntent } from './host-intent.builder';

const REF_HOST = '8a1ab1e4-0c4e-4d7a-9a4b-000000000301';
const MGMT = { address: '192.168.100.20', prefix: 24 };
const STORAGE = { address: '10.0.100.20', prefix: 24 };
const NICS = [
  { name: 'eth0', bond: 'bond0' },
  { name: 'eth1', bond: 'bond0' },
  { name: 'eth2', bond: 'bond1' },
  { name: 'eth3', bond: 'bond1' },
];

/** Reference "Linux bridge / CentOS" incl. bond0.100 + cloudbr100 (bond1 = eth2+eth3, not eth1+eth2). */
const EL7_LINUX: HostNetworkIntent = {
  hostId: REF_HOST,
  hostname: 'kvmhost1',
  fqdn: 'kvmhost1.mylab.local',
  backend: 'linux',
  nics: NICS,
  bonds: [
    { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100, bridge: 'cloudbr0' },
    { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100, bridge: 'cloudbr1' },
  ],
  vlans: [{ name: 'bond0.100', parent: 'bond0', vlanId: 100, bridge: 'cloudbr100' }],
  bridges: [
    { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'bond0', address: MGMT, gateway: '192.168.100.1', stp: false, forwardDelay: 0 },
    { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'bond1', stp: false, forwardDelay: 0 },
    { name: 'cloudbr100', role: 'traffic-label', trafficTypes: ['Storage'], uplink: 'bond0.100', address: STORAGE, stp: false, forwardDelay: 0 },
  ],
  routes: [],
  dns: { nameservers: [], search: [] },
  managementBridge: 'cloudbr0',
  managementAddress: MGMT,
  defaultGateway: '192.168.100.1',
  vlanSplinters: false,
};

/** Reference "Linux bridge / Ubuntu": same devices, bridge_fd 5, zone DNS servers, dns-domain mynet.local. */
const UBUNTU_LINUX: HostNetworkIntent = {
  ...EL7_LINUX,
  fqdn: 'kvmhost1.mynet.local',
  bridges: [
    { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'bond0', address: MGMT, gateway: '192.168.100.1', stp: false, forwardDelay: 5 },
    { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'bond1', stp: false, forwardDelay: 5 },
    { name: 'cloudbr100', role: 'traffic-label', trafficTypes: ['Storage'], uplink: 'bond0.100', address: STORAGE, stp: false, forwardDelay: 5 },
  ],
  dns: { nameservers: ['8.8.8.8', '8.8.4.4'], search: [], domain: 'mynet.local' },
};

/** Reference "OpenVswitch / CentOS": OVS bonds lacp=off, fake bridge cloudbr100, cloud0, VLAN splinters. */
const EL7_OVS: HostNetworkIntent = {
  ...EL7_LINUX,
  backend: 'ovs',
  bonds: [
    { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100, lacp: 'off', bridge: 'cloudbr0' },
    { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100, lacp: 'off', bridge: 'cloudbr1' },
  ],
  vlans: [],
  bridges: [
    { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'bond0', address: MGMT, gateway: '192.168.100.1', stp: false, forwardDelay: 0 },
    { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'bond1', stp: false, forwardDelay: 0 },
    { name: 'cloudbr100', role: 'traffic-label', trafficTypes: ['Storage'], parent: 'cloudbr0', vlanId: 100, address: STORAGE, stp: false, forwardDelay: 0 },
    { name: 'cloud0', role: 'link-local', trafficTypes: [], address: { address: '169.254.0.1', prefix: 16 }, stp: false, forwardDelay: 0 },
  ],
  vlanSplinters: true,
};

/** Reference "OpenVswitch / Ubuntu" on the mbplab topology (172.16.152.39/24 gw .2, dns 8.8.8.8, search mbplab.local). */
const UBUNTU_OVS: HostNetworkIntent = {
  hostId: '5c2d9f00-7b1e-4c55-8e21-000000000301',
  hostname: 'kvmhost1',
  fqdn: 'kvmhost1.mbplab.local',
  backend: 'ovs',
  nics: UBUNTU_LINUX.nics,
  bonds: [
    { name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100, bridge: 'cloudbr0' },
    { name: 'bond1', members: ['eth2', 'eth3'], mode: 'active-backup', miimon: 100, bridge: 'cloudbr1' },
  ],
  vlans: [],
  bridges: [
    { name: 'cloudbr0', role: 'traffic-label', trafficTypes: ['Management', 'Guest'], uplink: 'bond0', address: { address: '172.16.152.39', prefix: 24 }, gateway: '172.16.152.2', stp: false, forwardDelay: 0 },
    { name: 'cloudbr1', role: 'traffic-label', trafficTypes: ['Public'], uplink: 'bond1', stp: false, forwardDelay: 0 },
    // No Storage label in this zone: the reference's fake bridge is a host-only extra.
    { name: 'cloudbr100', role: 'extra', trafficTypes: [], parent: 'cloudbr0', vlanId: 100, stp: false, forwardDelay: 0 },
    { name: 'cloud0', role: 'link-local', trafficTypes: [], address: { address: '169.254.0.1', prefix: 16 }, stp: false, forwardDelay: 0 },
  ],
  routes: [],
  dns: { nameservers: ['8.8.8.8'], search: ['mbplab.local'] },
  managementBridge: 'cloudbr0',
  managementAddress: { address: '172.16.152.39', prefix: 24 },
  defaultGateway: '172.16.152.2',
  vlanSplinters: false,
};

describe('buildHostIntent on the reference examples', () => {
  it.each([
    ['el7-linux-bridge', EL7_LINUX],
    ['ubuntu-linux-bridge', UBUNTU_LINUX],
    ['el7-ovs', EL7_OVS],
    ['ubuntu-ovs', UBUNTU_OVS],
  ] as const)('%s builds the hand-written intent', (name, expected) => {
    const intent = buildHostIntent(exampleInputs(name));
    // Byte-equal JSON also proves no undefined-valued keys and a stable key-independent order of arrays.
    expect(intent).toStrictEqual(expected);
    expect(validateHostIntent(intent)).toEqual([]);
  });

  it('is deterministic: same inputs, identical JSON, and inputs are not mutated', () => {
    const inputs = exampleInputs('el7-ovs');
    const before = JSON.stringify(inputs);
    const first = JSON.stringify(buildHostIntent(inputs));
    for (let i = 0; i < 5; i++) expect(JSON.stringify(buildHostIntent(inputs))).toBe(first);
    expect(JSON.stringify(inputs)).toBe(before);
  });

  it('does not depend on the host\'s state or resource state (the spec memo keys on everything else)', () => {
    const intents = (['Disabled', 'Enabled', 'Maintenance'] as const).flatMap((resourceState) =>
      (['Up', 'Alert', 'Disconnected'] as const).map((state) => {
        const inputs = exampleInputs('el7-ovs');
        inputs.topology.hosts = inputs.topology.hosts.map((h) => (h.id === inputs.hostId ? { ...h, state, resourceState } : h));
        return JSON.stringify(buildHostIntent(inputs));
      }),
    );
    expect(new Set(intents).size).toBe(1);
  });

  it('does not depend on the order CloudStack lists physical networks and traffic types', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    inputs.topology.physicalNetworks.reverse();
    for (const pn of inputs.topology.physicalNetworks) pn.trafficTypes.reverse();
    expect(buildHostIntent(inputs)).toStrictEqual(EL7_LINUX);
  });

  it('accepts the host name in place of its id', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    expect(buildHostIntent({ ...inputs, hostId: 'kvmhost1' }).hostId).toBe(REF_HOST);
  });

  it('throws an IntentValidationError carrying every violation', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    inputs.topology.physicalNetworks[1].trafficTypes[0].effectiveLabel = 'cloudbr1;reboot';
    inputs.topology.pods[0].gateway = '10.9.9.9';
    let error: unknown;
    try {
      buildHostIntent(inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IntentValidationError);
    const fields = (error as IntentValidationError).violations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['topology.physicalNetworks[1].trafficTypes[0].effectiveLabel', 'topology.pods[0].gateway']));
    expect((error as IntentValidationError).message).not.toContain('\nreboot');
  });

  it('tags management on a VLAN when the profile says so (linux and ovs)', () => {
    for (const name of ['el7-linux-bridge', 'el7-ovs'] as const) {
      const inputs = exampleInputs(name);
      const mgmt = inputs.topology.physicalNetworks[0].trafficTypes[0];
      mgmt.kvmNetworkLabel = mgmt.effectiveLabel = 'cloudbrm';
      inputs.profileSet.profiles[name].networks[0].managementVlan = 200;
      const intent = buildHostIntent(inputs);
      const bridge = intent.bridges.find((b) => b.name === 'cloudbrm');
      expect(intent.managementBridge).toBe('cloudbrm');
      expect(bridge?.address).toEqual(MGMT);
      if (name === 'el7-ovs') expect(bridge).toMatchObject({ parent: 'cloudbr0', vlanId: 200 });
      else expect(intent.vlans).toContainEqual({ name: 'bond0.200', parent: 'bond0', vlanId: 200, bridge: 'cloudbrm' });
      expect(intent.routes).toEqual([]);
      expect(intent.defaultGateway).toBe('192.168.100.1');
    }
  });

  it('lets an agent-default Storage label ride on the management bridge', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    const storage = inputs.topology.physicalNetworks[0].trafficTypes[2];
    Object.assign(storage, { kvmNetworkLabel: null, effectiveLabel: 'cloudbr0', labelSource: 'agent-default' });
    const result = tryBuildHostIntent(inputs);
    expect(result.ok && result.intent.bridges[0].trafficTypes).toEqual(['Management', 'Guest', 'Storage']);
    expect(result.ok && result.intent.bridges.find((b) => b.name === 'cloudbr100')?.role).toBe('extra');
  });

  it('manages DNS only when the profile has a dns section; servers then default to the zone dns1/dns2', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    expect(buildHostIntent(inputs).dns).toEqual({ nameservers: [], search: [] });
    inputs.profileSet.profiles['el7-linux-bridge'].dns = { search: ['mylab.local'] };
    expect(buildHostIntent(inputs).dns).toEqual({ nameservers: ['8.8.8.8', '8.8.4.4'], search: ['mylab.local'] });
    inputs.profileSet.profiles['el7-linux-bridge'].dns = { servers: ['192.168.100.1'] };
    expect(buildHostIntent(inputs).dns).toEqual({ nameservers: ['192.168.100.1'], search: [] });
  });

  it('the site example: cluster selector wins, per-host MACs are pinned (normalised upper-case)', async () => {
    const profileSet = await loadProfileSetFile(join(EXAMPLES_DIR, 'site.profile.yaml'));
    const result = tryBuildHostIntent({ topology: loadExampleTopology('reference-topology.json'), hostId: 'kvmhost1', profileSet });
    if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
    expect(result.profileName).toBe('ovs-cluster');
    expect(result.intent.nics).toEqual([
      { name: 'eno1', bridge: 'cloudbr1', mtu: 9000, hwaddr: '00:0C:29:B4:59:56' },
      { name: 'ens1f0', bond: 'bond0', mtu: 9000, hwaddr: '00:0C:29:B5:59:32' },
      { name: 'ens1f1', bond: 'bond0', mtu: 9000, hwaddr: '00:0C:29:B5:59:3C' },
    ]);
  });

  it('backend override: the linux profile planned for ovs gets a fake bridge and cloud0 instead of bond0.100', () => {
    const intent = buildHostIntent({ ...exampleInputs('el7-linux-bridge'), backend: 'ovs' });
    expect(intent.backend).toBe('ovs');
    expect(intent.vlans).toEqual([]);
    expect(intent.bridges.map((b) => [b.name, b.parent ?? b.uplink ?? null])).toEqual([['cloudbr0', 'bond0'], ['cloudbr1', 'bond1'], ['cloudbr100', 'cloudbr0'], ['cloud0', null]]);
    expect(buildHostIntent({ ...exampleInputs('el7-linux-bridge'), backend: 'linux' })).toStrictEqual(EL7_LINUX);
  });

  it('backend override: OVS-only settings of the profile are rejected on linux, naming the field', () => {
    const result = tryBuildHostIntent({ ...exampleInputs('el7-ovs'), backend: 'linux' });
    expect(result.ok).toBe(false);
    const fields = result.ok ? [] : result.violations.map((v) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['intent.vlanSplinters', 'intent.bonds[0].lacp']));
  });

  it('builds 1000 intents quickly (pure, no I/O)', () => {
    const inputs = exampleInputs('el7-ovs');
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) buildHostIntent(inputs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(5000);
  });
});
