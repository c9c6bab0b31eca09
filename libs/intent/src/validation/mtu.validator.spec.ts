import type { HostNetworkIntent } from '../domain/host-network-intent';
import { exampleInputs, jumboIntent } from '../../test-support/intent-fixtures';
import { tryBuildHostIntent } from '../builder/host-intent.builder';
import { validateHostIntent } from './host-intent.validator';

const mtuViolations = (intent: HostNetworkIntent) => validateHostIntent(intent).filter((v) => v.field.endsWith('.mtu'));

describe('the MTU rule (a device is never larger than the one its frames leave by)', () => {
  it('accepts a jumbo profile on both backends', () => {
    expect(validateHostIntent(jumboIntent('linux'))).toEqual([]);
    expect(validateHostIntent(jumboIntent('ovs'))).toEqual([]);
  });

  it('refuses a VLAN above its parent and a bridge above its uplink', () => {
    const intent = structuredClone(jumboIntent('linux'));
    intent.bonds[0].mtu = 1500;
    for (const nic of intent.nics) if (nic.bond === 'bond0') nic.mtu = 1500;
    expect(mtuViolations(intent).map((v) => v.message)).toEqual([
      'vlans[0].mtu: 9000 exceeds the MTU of its parent bond0; fix: raise the parent\'s MTU or lower this one',
      'bridges[0].mtu: 9000 exceeds the MTU of its uplink bond0; fix: raise the uplink\'s MTU or lower this one',
    ]);
  });

  it('linux: a bridge MTU below its uplink\'s is refused (the bridge takes its ports\' MTU; ifupdown2 refuses a bridge mtu)', () => {
    const intent = structuredClone(jumboIntent('linux'));
    intent.bridges[0].mtu = 1500;
    const [hit] = mtuViolations(intent);
    expect(hit.field).toBe('bridges[0].mtu');
    expect(hit.message).toContain('differs from the MTU 9000 of its uplink bond0, but a linux bridge takes the MTU of its ports; fix: set the MTU on the uplink');
    delete intent.bridges[0].mtu;
    expect(mtuViolations(intent)).toEqual([]);
  });

  it('ovs: a bridge\'s internal port may run below its uplink (mtu_request), never above', () => {
    const intent = structuredClone(jumboIntent('ovs'));
    intent.bridges[0].mtu = 1500;
    expect(mtuViolations(intent)).toEqual([]);
    intent.bridges[1].mtu = 9000;
    expect(mtuViolations(intent).map((v) => v.field)).toEqual(['bridges[1].mtu']);
  });

  it.each(['linux', 'ovs'] as const)('%s: a member MTU other than its bond\'s is refused, above or below (a bond\'s members run at its MTU)', (backend) => {
    const below = structuredClone(jumboIntent(backend));
    below.nics[1].mtu = 1500;
    expect(mtuViolations(below).map((v) => v.message)).toEqual([
      'nics[1].mtu: 1500 differs from the MTU 9000 of its bond bond0, but a bond\'s members run at the bond\'s MTU; fix: set the MTU on the bond (the mtu of the network it carries) or drop this one',
    ]);
    const above = structuredClone(jumboIntent(backend));
    above.nics[2].mtu = 9000; // eth2, of bond1, which sets none
    expect(mtuViolations(above).map((v) => v.message)).toEqual([
      'nics[2].mtu: 9000 differs from the MTU 1500 of its bond bond1 (none set), but a bond\'s members run at the bond\'s MTU; fix: set the MTU on the bond (the mtu of the network it carries) or drop this one',
    ]);
  });

  it('a member\'s profile nics.<name>.mtu other than its bond\'s is refused by name, in profile terms; one equal to it is accepted', () => {
    const input = exampleInputs('ubuntu-linux-bridge');
    input.profileSet.profiles['ubuntu-linux-bridge'].nics = { eth2: { mtu: 9000 } };
    const result = tryBuildHostIntent(input);
    expect(result.ok ? [] : result.violations.map((v) => v.message)).toEqual([
      'profiles.ubuntu-linux-bridge.nics.eth2.mtu: 9000 (eth2) differs from the MTU 1500 of its bond bond1 (none set), but a bond\'s members run at the bond\'s MTU; fix: set the MTU on the bond (the mtu of the network it carries) or drop this one',
    ]);
    input.profileSet.profiles['ubuntu-linux-bridge'].nics = { eth2: { mtu: 1500 } };
    expect(tryBuildHostIntent(input).ok).toBe(true);
  });

  it.each(['linux', 'ovs'] as const)('%s: an extra at 9000 over 1500-byte NICs is refused, as a VLAN or as a fake bridge', (backend) => {
    const input = exampleInputs('ubuntu-linux-bridge');
    input.profileSet.profiles['ubuntu-linux-bridge'].extras![0].mtu = 9000;
    const result = tryBuildHostIntent({ ...input, backend });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.violations.map((v) => v.message);
    expect(messages).toContainEqual(
      backend === 'linux'
        ? expect.stringMatching(/^profiles\.ubuntu-linux-bridge\.extras\[0\]\.mtu: 9000 \(bond0\.100\) exceeds the MTU of its parent bond0/)
        : expect.stringMatching(/^profiles\.ubuntu-linux-bridge\.extras\[0\]\.mtu: 9000 \(cloudbr100\) exceeds the MTU 1500 of cloudbr0's uplink bond0, which carries this fake bridge's VLAN; fix:/),
    );
  });
});
