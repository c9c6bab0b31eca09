import type { HostNetworkIntent } from '../domain/host-network-intent';
import { jumboIntent } from '../../test-support/intent-fixtures';
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
});
