import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { centosLinuxBridgeIntent, centosOvsIntent } from '../../test/fixtures/reference-intents';
import { InvalidIntentValueError } from '../domain/render-errors';
import { renderHost } from '../render-host';
import { assertIfName, assertIpv4, assertRenderableIntent } from './render-guard';

const mutate = (base: HostNetworkIntent, change: (i: HostNetworkIntent) => void): HostNetworkIntent => {
  const copy = structuredClone(base);
  change(copy);
  return copy;
};

describe('render guard', () => {
  it.each([
    ['cloudbr0;reboot'],
    ['$(id)'],
    ['`id`'],
    ['cloud\nbr0'],
    ['"cloudbr0"'],
    ["cloud'br0"],
    ['cloudbr0 eth0'],
    ['a234567890123456'],
    ['clöudbr0'],
    ['.'],
    ['..'],
    ['-cloudbr0'],
    ['../etc'],
    [''],
  ])('rejects the interface name %j', (name) => {
    expect(() => assertIfName('bridges[0].name', name)).toThrow(InvalidIntentValueError);
    expect(() => assertIfName('bridges[0].name', name)).toThrow(/^intent field bridges\[0\]\.name: /);
  });

  it.each([['cloudbr0'], ['bond0.100'], ['a23456789012345'], ['eth_1-x']])('accepts %j', (name) => {
    expect(assertIfName('f', name)).toBe(name);
  });

  it.each([['192.168.1'], ['192.168.1.256'], ['01.2.3.4'], ['1.2.3.4 '], ['1.2.3.4;id'], ['::1']])('rejects the IPv4 %j', (ip) => {
    expect(() => assertIpv4('defaultGateway', ip)).toThrow(/defaultGateway/);
  });

  it.each<[string, (i: HostNetworkIntent) => void, RegExp]>([
    ['a hostile bridge name', (i) => (i.bridges[1].name = 'cloudbr1;reboot'), /bridges\[1\]\.name/],
    ['a hostile bond member', (i) => (i.bonds[0].members[1] = '$(id)'), /bonds\[0\]\.members\[1\]/],
    ['a newline in a VLAN parent', (i) => (i.vlans[0].parent = 'bond0\nBRIDGE=x'), /vlans\[0\]\.parent/],
    ['VLAN id 4095', (i) => (i.vlans[0].vlanId = 4095), /vlans\[0\]\.vlanId/],
    ['a prefix of 33', (i) => (i.bridges[0].address = { address: '192.168.100.20', prefix: 33 }), /bridges\[0\]\.address\.prefix/],
    ['an injected gateway', (i) => (i.bridges[0].gateway = '192.168.100.1\nGATEWAY=6.6.6.6'), /bridges\[0\]\.gateway/],
    ['a lower-case MAC', (i) => (i.nics[0].hwaddr = '00:0c:29:b5:59:32'), /nics\[0\]\.hwaddr/],
    ['an unknown bond mode', (i) => (i.bonds[0].mode = 'fastest' as never), /bonds\[0\]\.mode/],
    ['duplicate names', (i) => (i.bridges[1].name = 'cloudbr0'), /duplicate interface name cloudbr0/],
    ['a bond member that is not a NIC', (i) => (i.bonds[0].members = ['eth9']), /eth9 is not one of the intent's nics/],
    ['an uplink that does not exist', (i) => (i.bridges[0].uplink = 'bond7'), /bridges\[0\]\.uplink/],
    ['a hostile DNS search domain', (i) => (i.dns.search = ['lab.local; rm -rf /']), /dns\.search\[0\]/],
    ['a hostile hostname', (i) => (i.hostname = 'kvm$(id)'), /hostname/],
    ['a management bridge that is not a bridge', (i) => (i.managementBridge = 'bond0'), /managementBridge/],
    ['a hostile route', (i) => (i.routes = [{ to: '10.0.0.0/8 via 1.1.1.1', via: '192.168.100.1', dev: 'cloudbr0' }]), /routes\[0\]\.to/],
    ['a default route in routes (it is defaultGateway)', (i) => (i.routes = [{ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' }]), /routes\[0\]\.to: "default" is not an extra route/],
  ])('rejects %s, naming the field', (_label, change, field) => {
    expect(() => assertRenderableIntent(mutate(centosLinuxBridgeIntent, change))).toThrow(field);
  });

  it('rejects linux-only bond modes on OVS', () => {
    expect(() => assertRenderableIntent(mutate(centosOvsIntent, (i) => (i.bonds[0].mode = '802.3ad')))).toThrow(/bonds\[0\]\.mode.*active-backup, balance-slb, balance-tcp/);
  });

  it('renderHost validates before rendering anything', () => {
    expect(() => renderHost(mutate(centosLinuxBridgeIntent, (i) => (i.nics[0].name = 'eth0;reboot')), 'el-network-scripts-linux')).toThrow(InvalidIntentValueError);
  });
});
