import type { HostNetworkIntent } from '../domain/host-network-intent';
import { exampleInputs } from '../../test-support/intent-fixtures';
import { validateHostIntent } from '../validation/host-intent.validator';
import { IntentValidationError } from '../validation/intent-violation';
import { buildHostIntent, tryBuildHostIntent } from './host-intent.builder';

const REF_HOST = '8a1ab1e4-0c4e-4d7a-9a4b-000000000301';
const MGMT = { address: '192.168.100.20', prefix: 24 };
const STORAGE = { address: '10.0.100.20', prefix: 24 };
const ROUTES = [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }];
const MACS = { eth0: '00:0C:29:B5:59:32', eth1: '00:0C:29:B5:59:3C', eth2: '00:0C:29:B4:59:56', eth3: '00:0C:29:B4:59:60' };

/** Reference "Linux bridge / CentOS" incl. bond0.100 + cloudbr100 (bond1 = eth2+eth3, not eth1+eth2). */
const EL7_LINUX: HostNetworkIntent = {
  hostId: REF_HOST,
  hostname: 'kvmhost1',
  fqdn: 'kvmhost1.mylab.local',
  backend: 'linux',
  nics: [
    { name: 'eth0', bond: 'bond0', hwaddr: MACS.eth0 },
    { name: 'eth1', bond: 'bond0', hwaddr: MACS.eth1 },
    { name: 'eth2', bond: 'bond1', hwaddr: MACS.eth2 },
    { name: 'eth3', bond: 'bond1', hwaddr: MACS.eth3 },
  ],
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
  routes: ROUTES,
  dns: { nameservers: ['8.8.8.8', '8.8.4.4'], search: [] },
  managementBridge: 'cloudbr0',
  managementAddress: MGMT,
  defaultGateway: '192.168.100.1',
  vlanSplinters: false,
};

/** Reference "Linux bridge / Ubuntu": same devices, no pinned MACs, bridge_fd 5, dns-domain mynet.local. */
const UBUNTU_LINUX: HostNetworkIntent = {
  ...EL7_LINUX,
  nics: [
    { name: 'eth0', bond: 'bond0' },
    { name: 'eth1', bond: 'bond0' },
    { name: 'eth2', bond: 'bond1' },
    { name: 'eth3', bond: 'bond1' },
  ],
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
    { name: 'cloud0', role: 'link-local', trafficTypes: [], address: { address: '169.254.0.1', prefix: 16 }, stp: false, forwardDelay: 0 },
  ],
  routes: [{ to: 'default', via: '172.16.152.2', dev: 'cloudbr0' }],
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
      expect(intent.routes).toEqual([{ to: 'default', via: '192.168.100.1', dev: 'cloudbrm' }]);
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

  it('builds 1000 intents quickly (pure, no I/O)', () => {
    const inputs = exampleInputs('el7-ovs');
    const start = process.hrtime.bigint();
    for (let i = 0; i < 1000; i++) buildHostIntent(inputs);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    expect(ms).toBeLessThan(5000);
  });
});
