import { exampleInputs } from '../../test-support/intent-fixtures';
import { tryBuildHostIntent } from './host-intent.builder';

type Inputs = ReturnType<typeof exampleInputs>;
const P = 'profiles.el7-linux-bridge';
const linux = (inputs: Inputs) => inputs.profileSet.profiles['el7-linux-bridge'];
const pn = (inputs: Inputs, i: number) => inputs.topology.physicalNetworks[i];
const PUBLIC_LABEL = 'topology.physicalNetworks[1].trafficTypes[0].effectiveLabel';
const GUEST_LABEL = 'topology.physicalNetworks[0].trafficTypes[1].effectiveLabel';

function setGuestLabel(inputs: Inputs, label: string): void {
  Object.assign(pn(inputs, 0).trafficTypes[1], { kvmNetworkLabel: label, effectiveLabel: label });
}

/** Runs the builder on a mutated copy of the el7-linux-bridge example and returns the violations. */
function violations(mutate: (inputs: Inputs) => void) {
  const inputs = exampleInputs('el7-linux-bridge');
  mutate(inputs);
  const result = tryBuildHostIntent(inputs);
  return result.ok ? [] : result.violations;
}

const HOSTILE = ['cloudbr1;reboot', '$(id)', 'cloud\nbr1', '"cloudbr1"', "cloudbr'1", '`id`', 'x'.repeat(16), 'clöudbr1', '', '../x', '-cloudbr1', '.', 'cloud0', 'virbr0', 'brbond1-200', 'cloudVirBr5'];

describe('a physical network no networks[] entry matches', () => {
  const message = (mutate: (inputs: Inputs) => void) => violations(mutate).find((v) => v.field === 'topology.physicalNetworks[1]')?.message;

  it('points at the entry that was likely meant for it: a name in another case', () => {
    expect(message((i) => { linux(i).networks[1].match = { physicalNetwork: 'PHYSICAL NETWORK 2' }; })).toContain(
      `has no uplink in ${P} (${P}.networks[1] names physical network "PHYSICAL NETWORK 2", matched as CloudStack spells it: "Physical Network 2"); fix: point the entry meant for it at match: { physicalNetwork: "Physical Network 2" }`,
    );
  });

  it('or a label no physical network carries (a relabel changed it)', () => {
    expect(message((i) => { linux(i).networks[1].match = { label: 'cloudbr99' }; })).toContain(`(${P}.networks[1] matches label "cloudbr99", which no physical network of this zone carries)`);
  });

  it('and says only what to add when no entry is stray', () => {
    expect(message((i) => { linux(i).networks.pop(); })).toContain(`has no uplink in ${P}; fix: add networks: - match: { physicalNetwork: "Physical Network 2" }`);
  });
});

describe('a label VLAN inside a guest VLAN range', () => {
  it('names the physical network as operators know it, by its name, not its id', () => {
    const found = violations((i) => { setGuestLabel(i, 'cloudbr5'); linux(i).networks[0].labelVlans = { cloudbr5: 600 }; });
    const hit = found.find((v) => v.message.includes('guest VLAN range'));
    expect(hit?.message).toContain(`of physical network ${JSON.stringify(exampleInputs('el7-linux-bridge').topology.physicalNetworks[0].name)} on uplink`);
  });
});

describe('a traffic label that names an interface of the host', () => {
  it.each([['eth2', 'NIC'], ['bond1', 'bond']])('says the label %j names the %s, not a bridge, once: no "give it an uplink" for a network that has one', (label, kind) => {
    const found = violations((i) => Object.assign(pn(i, 1).trafficTypes[0], { kvmNetworkLabel: label, effectiveLabel: label }));
    expect(found.map((v) => v.message)).toEqual([
      `${PUBLIC_LABEL}: "${label}" (Public traffic) names the ${kind} ${label} of this host's uplinks, not a bridge: a KVM traffic label is the name of the bridge CloudStack plugs that traffic into, which hostnet makes on top of the uplink; fix: set the label to a bridge name (e.g. cloudbr1) in CloudStack (hostnet relabel plan), keeping ${label} as the uplink in the profile`,
    ]);
  });
});

describe('buildHostIntent rules (each violation names its field and the fix)', () => {
  it.each(HOSTILE)('rejects the hostile or reserved label %j coming from CloudStack', (label) => {
    const found = violations((i) => Object.assign(pn(i, 1).trafficTypes[0], { kvmNetworkLabel: label, effectiveLabel: label }));
    const hit = found.find((v) => v.field === PUBLIC_LABEL);
    expect(hit?.message).toContain(PUBLIC_LABEL);
    expect(hit?.message).toContain('fix:');
    expect(hit?.message).not.toMatch(/\n(?!\s+-)/);
  });

  it.each<[string, string, (i: Inputs) => void]>([
    ['host missing from the topology', 'hostId', (i) => { i.hostId = 'no-such-host'; }],
    ['host in another zone', 'topology.hosts[0].zoneId', (i) => { i.topology.hosts[0].zoneId = 'other'; }],
    ['non-KVM host', 'topology.hosts[0].hypervisor', (i) => { i.topology.hosts[0].hypervisor = 'XenServer'; }],
    ['hostile host name', 'topology.hosts[0].name', (i) => { i.topology.hosts[0].name = 'kvm1;reboot'; }],
    ['pod without gateway', 'topology.pods[0].gateway', (i) => { i.topology.pods[0].gateway = ''; }],
    ['pod netmask with holes', 'topology.pods[0].netmask', (i) => { i.topology.pods[0].netmask = '255.0.255.0'; }],
    ['pod missing', 'topology.hosts[0].podId', (i) => { i.topology.pods = []; }],
    ['gateway outside the subnet', 'topology.pods[0].gateway', (i) => { i.topology.pods[0].gateway = '192.168.101.1'; }],
    ['gateway equal to the host address', 'topology.pods[0].gateway', (i) => { i.topology.pods[0].gateway = '192.168.100.20'; }],
    ['invalid host address', 'topology.hosts[0].ipAddress', (i) => { i.topology.hosts[0].ipAddress = '192.168.100.300'; }],
    ['host address is the broadcast address', 'topology.hosts[0].ipAddress', (i) => { i.topology.hosts[0].ipAddress = '192.168.100.255'; }],
    ['management address in 169.254.0.0/16', 'topology.hosts[0].ipAddress', (i) => { i.topology.hosts[0].ipAddress = '169.254.100.20'; i.topology.pods[0].gateway = '169.254.100.1'; }],
    ['same label set on two physical networks', GUEST_LABEL, (i) => setGuestLabel(i, 'cloudbr1')],
    ['zone without Management traffic', 'topology.physicalNetworks', (i) => { pn(i, 0).trafficTypes.shift(); }],
    ['physical network without an uplink in the profile', 'topology.physicalNetworks[1]', (i) => { pn(i, 1).name = 'Physical Network X'; }],
    ['traffic type left without a bridge', PUBLIC_LABEL, (i) => { pn(i, 1).name = 'Physical Network X'; }],
    ['two profile entries for one physical network', 'topology.physicalNetworks[0]', (i) => { linux(i).networks[1].match = { label: 'cloudbr0' }; }],
    ['invalid zone DNS', 'topology.zone.dns1', (i) => { i.topology.zone.dns1 = '8.8.8'; linux(i).dns = {}; }],
    ['storage range VLAN out of range', 'topology.storageRanges[0].vlan', (i) => { i.topology.storageRanges[0].vlan = 5000; }],
    ['storage IP inside CloudStack\'s range', 'hosts.kvmhost1.storageAddress', (i) => { i.profileSet.hosts.kvmhost1.storageAddress = '10.0.100.150'; }],
    ['storage IP outside the storage subnet', 'hosts.kvmhost1.storageAddress', (i) => { i.profileSet.hosts.kvmhost1.storageAddress = '10.0.101.20'; }],
    ['storage IP with the wrong prefix', 'hosts.kvmhost1.storageAddress', (i) => { i.profileSet.hosts.kvmhost1.storageAddress = '10.0.100.20/16'; }],
    ['storage IP missing', 'hosts.kvmhost1.storageAddress', (i) => { delete i.profileSet.hosts.kvmhost1.storageAddress; }],
    ['storage IP without prefix and no range', 'hosts.kvmhost1.storageAddress', (i) => { i.topology.storageRanges = []; linux(i).extras![0].vlan = 100; }],
    ['storage IP in 169.254.0.0/16', 'hosts.kvmhost1.storageAddress', (i) => { i.topology.storageRanges = []; linux(i).extras![0].vlan = 100; i.profileSet.hosts.kvmhost1.storageAddress = '169.254.3.3/24'; }],
    ['extra VLAN differs from the storage range', `${P}.extras[0].vlan`, (i) => { linux(i).extras![0].vlan = 101; }],
    ['extra without any VLAN', `${P}.extras[0].vlan`, (i) => { i.topology.storageRanges = []; i.profileSet.hosts.kvmhost1.storageAddress = '10.0.100.20/24'; }],
    ['extra on an unknown device', `${P}.extras[0].on`, (i) => { linux(i).extras![0].on = 'bond7'; }],
    ['extra serving a label of another physical network', `${P}.extras[0].on`, (i) => { linux(i).extras![0].on = 'bond1'; }],
    ['two untagged labels on one uplink', `${P}.networks[0].labelVlans`, (i) => setGuestLabel(i, 'cloudbr5')],
    ['labelVlans for a label CloudStack does not have', `${P}.networks[0].labelVlans.cloudbr9`, (i) => { linux(i).networks[0].labelVlans = { cloudbr9: 300 }; }],
    ['label VLAN inside the guest VLAN range', `${P}.networks[0].labelVlans.cloudbr5`, (i) => { setGuestLabel(i, 'cloudbr5'); linux(i).networks[0].labelVlans = { cloudbr5: 600 }; }],
    ['label VLAN equal to the storage VLAN', `${P}.extras[0].vlan`, (i) => { setGuestLabel(i, 'cloudbr5'); linux(i).networks[0].labelVlans = { cloudbr5: 100 }; }],
    ['managementVlan on a network without Management', `${P}.networks[1].managementVlan`, (i) => { linux(i).networks[1].managementVlan = 200; }],
    ['managementVlan contradicting labelVlans', `${P}.networks[0].managementVlan`, (i) => { linux(i).networks[0].managementVlan = 200; linux(i).networks[0].labelVlans = { cloudbr0: 201 }; }],
    ['derived VLAN interface name over 15 chars', `${P}.extras[0].vlan`, (i) => { linux(i).networks[0].bond!.name = 'bond0123456789'; linux(i).extras![0].on = 'bond0123456789'; }],
    ['MAC for a NIC the profile does not have', 'hosts.kvmhost1.hwaddrs.eth9', (i) => { i.profileSet.hosts.kvmhost1.hwaddrs = { eth9: '00:0C:29:00:00:09' }; }],
    ['two NICs with one MAC', 'hosts.kvmhost1.hwaddrs.eth1', (i) => { i.profileSet.hosts.kvmhost1.hwaddrs = { eth0: '00:0C:29:B5:59:32', eth1: '00:0c:29:b5:59:32' }; }],
    ['placeholder MAC from a programmatic override', 'hosts.kvmhost1.hwaddrs.eth0', (i) => { i.overrides = { hwaddrs: { eth0: '00:0C:12:xx:xx:xx' } }; }],
    ['unknown profile in an override', 'overrides.profile', (i) => { i.overrides = { profile: 'ghost' }; }],
    ['storage VLAN MTU above its parent', `${P}.extras[0].mtu`, (i) => { linux(i).extras![0].mtu = 9000; }],
    ['VLAN MTU above a parent the network sets', `${P}.extras[0].mtu`, (i) => { linux(i).networks[0].mtu = 1400; linux(i).extras![0].mtu = 1500; }],
    ['bond member MTU other than its bond\'s', `${P}.nics.eth2.mtu`, (i) => { linux(i).nics = { eth2: { mtu: 9000 } }; }],
    ['a label equal to a bond name', `${P}.networks[0].labelVlans.bond1`, (i) => { setGuestLabel(i, 'bond1'); linux(i).networks[0].labelVlans = { bond1: 300 }; }],
  ])('%s → %s', (_name, field, mutate) => {
    const found = violations(mutate as (i: Inputs) => void);
    const hit = found.find((v) => v.field === field);
    if (!hit) throw new Error(`no violation at ${field}; got:\n${found.map((v) => v.message).join('\n')}`);
    expect(hit.message.startsWith(`${field}:`) || hit.message.startsWith(`intent.${field.replace(/^intent\./, '')}:`)).toBe(true);
    expect(hit.message).toContain('fix:');
  });

  it('names a missing value as missing, not as "undefined"', () => {
    const [hit] = violations((i) => { delete i.profileSet.hosts.kvmhost1.storageAddress; });
    expect(hit?.message).toMatch(/^hosts\.kvmhost1\.storageAddress: is missing but .*; fix: set hosts\.kvmhost1\.storageAddress to this host's address/);
  });

  it('collects all violations instead of stopping at the first', () => {
    const found = violations((i) => {
      Object.assign(pn(i, 1).trafficTypes[0], { effectiveLabel: '$(id)' });
      i.topology.zone.dns1 = 'nope';
      linux(i).dns = {};
      i.profileSet.hosts.kvmhost1.storageAddress = '10.0.100.150';
      i.profileSet.hosts.kvmhost1.hwaddrs = { eth9: '00:0C:29:00:00:09' };
    });
    expect(found.map((v) => v.field)).toEqual(expect.arrayContaining([PUBLIC_LABEL, 'hosts.kvmhost1.storageAddress', 'hosts.kvmhost1.hwaddrs.eth9']));
    expect(found.length).toBeGreaterThanOrEqual(3);
  });

  it('accepts a second label on the uplink once it is mapped to a VLAN', () => {
    const inputs = exampleInputs('el7-linux-bridge');
    setGuestLabel(inputs, 'cloudbr5');
    linux(inputs).networks[0].labelVlans = { cloudbr5: 300 };
    const result = tryBuildHostIntent(inputs);
    if (!result.ok) throw new Error(result.violations.map((v) => v.message).join('\n'));
    expect(result.intent.bridges.find((b) => b.name === 'cloudbr5')).toMatchObject({ uplink: 'bond0.300', trafficTypes: ['Guest'] });
  });

  it('OVS: a tagged label needs an untagged bridge on the same uplink as parent', () => {
    const inputs = exampleInputs('el7-ovs');
    const profile = inputs.profileSet.profiles['el7-ovs'];
    profile.networks[1].labelVlans = { cloudbr1: 300 };
    const result = tryBuildHostIntent(inputs);
    expect(!result.ok && result.violations.map((v) => v.field)).toContain('profiles.el7-ovs.networks[1].labelVlans.cloudbr1');
  });
});
