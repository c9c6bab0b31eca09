import type { HostNetworkIntent } from '../domain/host-network-intent';
import { exampleInputs } from '../../test-support/intent-fixtures';
import { buildHostIntent } from '../builder/host-intent.builder';
import { validateHostIntent } from './host-intent.validator';

const LINUX = buildHostIntent(exampleInputs('el7-linux-bridge'));
const OVS = buildHostIntent(exampleInputs('el7-ovs'));

function check(base: HostNetworkIntent, mutate: (i: HostNetworkIntent) => void) {
  const intent = structuredClone(base);
  mutate(intent);
  return validateHostIntent(intent);
}

describe('validateHostIntent', () => {
  it('accepts the reference intents', () => {
    expect(validateHostIntent(LINUX)).toEqual([]);
    expect(validateHostIntent(OVS)).toEqual([]);
    expect(check(LINUX, (i) => { i.routes = [{ to: '10.1.0.0/16', via: '192.168.100.1', dev: 'cloudbr0' }]; })).toEqual([]);
  });

  it.each<[string, string, HostNetworkIntent, (i: HostNetworkIntent) => void]>([
    ['uplink the agent cannot see', 'bridges[0].uplink', LINUX, (i) => { i.bonds[0].name = 'uplink0'; i.bridges[0].uplink = 'uplink0'; i.nics[0].bond = i.nics[1].bond = 'uplink0'; i.vlans[0].parent = 'uplink0'; }],
    ['uplink that does not exist', 'bridges[1].uplink', LINUX, (i) => { i.bridges[1].uplink = 'bond7'; }],
    ['one port in two bridges', 'bridges[1].uplink', LINUX, (i) => { i.bridges[1].uplink = 'bond0'; }],
    ['bond member that is not a NIC', 'bonds[0].members[1]', LINUX, (i) => { i.bonds[0].members[1] = 'eth9'; }],
    ['NIC in two bonds', 'bonds[1].members[0]', LINUX, (i) => { i.bonds[1].members[0] = 'eth0'; }],
    ['duplicate names', 'bridges[1].name', LINUX, (i) => { i.bridges[1].name = 'bond1'; }],
    ['hostile bridge name', 'bridges[1].name', LINUX, (i) => { i.bridges[1].name = 'cloudbr1;reboot'; }],
    ['reserved bridge name', 'bridges[1].name', LINUX, (i) => { i.bridges[1].name = 'virbr0'; }],
    ['VLAN id 4095', 'vlans[0].vlanId', LINUX, (i) => { i.vlans[0].vlanId = 4095; }],
    ['VLAN id 1.5', 'vlans[0].vlanId', LINUX, (i) => { i.vlans[0].vlanId = 1.5; }],
    ['link-local address off cloud0', 'bridges[1].address', LINUX, (i) => { i.bridges[1].address = { address: '169.254.9.9', prefix: 16 }; }],
    ['cloud0 on a linux host', 'bridges[3].role', LINUX, (i) => { i.bridges.push({ ...OVS.bridges[3] }); }],
    ['cloud0 with another address', 'bridges[3].address', OVS, (i) => { i.bridges[3].address = { address: '169.254.0.2', prefix: 16 }; }],
    ['gateway outside the bridge subnet', 'bridges[0].gateway', LINUX, (i) => { i.bridges[0].gateway = '10.1.1.1'; }],
    ['default gateway outside the management subnet', 'defaultGateway', LINUX, (i) => { i.defaultGateway = '10.1.1.1'; }],
    ['management bridge missing', 'managementBridge', LINUX, (i) => { i.managementBridge = 'cloudbr9'; }],
    ['management address not on its bridge', 'managementAddress', LINUX, (i) => { i.managementAddress = { address: '192.168.100.21', prefix: 24 }; }],
    ['route over an unknown device', 'routes[0].dev', LINUX, (i) => { i.routes = [{ to: '10.1.0.0/16', via: '192.168.100.1', dev: 'cloudbr9' }]; }],
    ['route via link-local', 'routes[0].via', LINUX, (i) => { i.routes = [{ to: '10.1.0.0/16', via: '169.254.0.1', dev: 'cloudbr0' }]; }],
    ['default route in routes (it is defaultGateway)', 'routes[0].to', LINUX, (i) => { i.routes = [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }]; }],
    ['route to something that is not a CIDR', 'routes[0].to', LINUX, (i) => { i.routes = [{ to: '10.1.0.0', via: '192.168.100.1', dev: 'cloudbr0' }]; }],
    ['route to a CIDR with host bits (the kernel refuses it)', 'routes[0].to', LINUX, (i) => { i.routes = [{ to: '10.2.1.0/16', via: '192.168.100.1', dev: 'cloudbr0' }]; }],
    ['bad DNS server', 'dns.nameservers[0]', LINUX, (i) => { i.dns.nameservers[0] = '8.8.8'; }],
    ['MTU 70000', 'nics[0].mtu', LINUX, (i) => { i.nics[0].mtu = 70000; }],
    ['bridge MTU above its uplink', 'bridges[1].mtu', LINUX, (i) => { i.bridges[1].mtu = 9000; }],
    ['VLAN splinters on linux', 'vlanSplinters', LINUX, (i) => { i.vlanSplinters = true; }],
    ['fake bridge on linux', 'bridges[2].parent', LINUX, (i) => { i.bridges[2] = { ...OVS.bridges[2] }; }],
    ['fake bridge on a fake bridge', 'bridges[2].parent', OVS, (i) => { i.bridges[2].parent = 'cloud0'; }],
    ['linux VLAN interface on ovs', 'vlans', OVS, (i) => { i.vlans = [...LINUX.vlans]; }],
    ['OVS lacp on a linux bond', 'bonds[0].lacp', LINUX, (i) => { i.bonds[0].lacp = 'active'; }],
    ['miimon 300', 'bonds[0].miimon', LINUX, (i) => { i.bonds[0].miimon = 300; }],
    ['overlapping subnets', 'bridges[2].address', LINUX, (i) => { i.bridges[2].address = { address: '192.168.100.30', prefix: 24 }; }],
    ['hostname with a domain', 'hostname', LINUX, (i) => { i.hostname = 'kvmhost1.mylab.local'; }],
    ['hostile fqdn', 'fqdn', LINUX, (i) => { i.fqdn = 'kvmhost1.$(id)'; }],
  ])('%s → %s', (_name, field, base, mutate) => {
    const found = check(base, mutate);
    const hit = found.find((v) => v.field === field);
    if (!hit) throw new Error(`no violation at ${field}; got:\n${found.map((v) => v.message).join('\n')}`);
    expect(hit.message.startsWith(`${field}:`)).toBe(true);
    expect(hit.message).toContain('fix:');
  });
});

describe('validateHostIntent: route destinations', () => {
  const routed = (to: string) => validateHostIntent({ ...LINUX, routes: [{ to, via: '192.168.100.1', dev: 'cloudbr0' }] });
  it('names host bits and the network the route means', () => {
    expect(routed('10.2.1.0/16').map((v) => v.message)).toEqual([expect.stringMatching(/^routes\[0\]\.to: .*10\.2\.1\.0\/16.* has host bits set .*fix: write 10\.2\.0\.0\/16/)]);
  });
  it('takes a host route and a network written as the kernel keeps it', () => {
    expect(routed('10.1.1.5/32')).toEqual([]);
    expect(routed('10.2.0.0/16')).toEqual([]);
  });
});
