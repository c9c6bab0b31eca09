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

  it('ovs: a bond above a member\'s MTU is refused (OVS sets a bond\'s MTU on its members)', () => {
    const intent = structuredClone(jumboIntent('ovs'));
    intent.nics[1].mtu = 1500;
    expect(mtuViolations(intent).map((v) => v.message)).toEqual(['bonds[0].mtu: 9000 exceeds the MTU 1500 of its member eth1; fix: give the members the bond\'s MTU (or leave theirs unset)']);
  });

  it.each(['linux', 'ovs'] as const)('%s: an extra at 9000 over 1500-byte NICs is refused, as a VLAN or as a fake bridge', (backend) => {
    const input = exampleInputs('ubuntu-linux-bridge');
    input.profileSet.profiles['ubuntu-linux-bridge'].extras![0].mtu = 9000;
    const result = tryBuildHostIntent({ ...input, backend });
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.violations.map((v) => v.message);
    expect(messages).toContainEqual(
      backend === 'linux'
        ? expect.stringMatching(/^intent\.vlans\[0\]\.mtu: 9000 exceeds the MTU of its parent bond0/)
        : expect.stringMatching(/^intent\.bridges\[2\]\.mtu: 9000 exceeds the MTU 1500 of cloudbr0's uplink bond0, which carries this fake bridge's VLAN; fix:/),
    );
  });
});
