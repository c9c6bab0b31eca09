import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import { UnsupportedBackendError } from '../domain/render-errors';
import { renderHost } from '../render-host';
import { renderPaths } from '../render-paths';
import { NETPLAN_PATH } from './netplan.renderer';

const pinned = (intent: HostNetworkIntent, name: string, mac: string): HostNetworkIntent => ({ ...intent, nics: intent.nics.map((n) => (n.name === name ? { ...n, hwaddr: mac } : n)) });
const yaml = (intent: HostNetworkIntent, target: 'netplan-linux' | 'netplan-ovs') => renderHost(intent, target).files.find((f) => f.path === NETPLAN_PATH)!.content;

describe('netplan: a NIC pinned by its MAC (hwaddr: match macaddress + set-name)', () => {
  it('a Linux bond member is refused, naming the field, the NIC, its bond, why and the fix (renderHost and renderPaths alike)', () => {
    const nic = ubuntuLinuxBridgeIntent.nics.findIndex((n) => n.bond !== undefined);
    const { name, bond } = ubuntuLinuxBridgeIntent.nics[nic]!;
    const intent = pinned(ubuntuLinuxBridgeIntent, name, '52:54:00:AA:BB:01');
    const why = new RegExp(`^nics\\[${nic}\\]\\.hwaddr \\(${name} in ${bond}\\): netplan matches a NIC's MAC by the address it has now, and a Linux bond gives every member its own: .*fix: remove the hwaddrs of bond members`);
    expect(() => renderHost(intent, 'netplan-linux')).toThrow(UnsupportedBackendError);
    expect(() => renderHost(intent, 'netplan-linux')).toThrow(why);
    expect(() => renderPaths(intent, 'netplan-linux')).toThrow(why);
  });

  it('a NIC in no bond is matched by its MAC and named; an OVS bond leaves its members their MACs: rendered too', () => {
    const free: HostNetworkIntent = { ...ubuntuLinuxBridgeIntent, nics: [...ubuntuLinuxBridgeIntent.nics, { name: 'eth4', hwaddr: '52:54:00:AA:BB:04' }] };
    expect(yaml(free, 'netplan-linux')).toContain('    eth4:\n      match:\n        macaddress: "52:54:00:aa:bb:04"\n      set-name: eth4\n');
    const member = ubuntuOvsIntent.nics.find((n) => n.bond !== undefined)!.name;
    expect(yaml(pinned(ubuntuOvsIntent, member, '52:54:00:AA:BB:01'), 'netplan-ovs')).toContain(`    ${member}:\n      match:\n        macaddress: "52:54:00:aa:bb:01"\n      set-name: ${member}\n`);
  });
});
