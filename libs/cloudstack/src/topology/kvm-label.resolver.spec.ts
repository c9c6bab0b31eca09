import { TrafficType } from '../domain/cloudstack-records';
import { TrafficTypeName } from '../domain/zone-network-topology';
import { resolveAgentDevices } from './kvm-label.resolver';

const tt = (trafficType: TrafficTypeName, kvmNetworkLabel: string | null): TrafficType => ({
  id: `${trafficType}-id`,
  trafficType,
  physicalNetworkId: 'pn',
  kvmNetworkLabel,
});
const devices = (types: TrafficType[]) =>
  Object.fromEntries(Object.entries(resolveAgentDevices(types)).map(([k, v]) => [k, v.device]));

describe('resolveAgentDevices (LibvirtServerDiscoverer fallbacks)', () => {
  it('uses each label when all are set', () => {
    expect(devices([tt('Management', 'cloudbr0'), tt('Guest', 'cloudbr1'), tt('Public', 'cloudbr2'), tt('Storage', 'cloudbr3')])).toEqual({
      Management: 'cloudbr0',
      Guest: 'cloudbr1',
      Public: 'cloudbr2',
      Storage: 'cloudbr3',
    });
  });

  it('falls back to cloudbr0 everywhere when no label is set', () => {
    const r = resolveAgentDevices([tt('Management', null), tt('Guest', null)]);
    expect(r.Guest.device).toBe('cloudbr0');
    expect(r.Guest.origin).toMatch(/kvm\.guest\.network\.device/);
    expect(r.Storage.device).toBe('cloudbr0');
  });

  it('public ← guest, private ← public', () => {
    expect(devices([tt('Management', null), tt('Guest', 'cloudbr1'), tt('Public', null)])).toEqual({
      Management: 'cloudbr1',
      Guest: 'cloudbr1',
      Public: 'cloudbr1',
      Storage: 'cloudbr1',
    });
  });

  it('public ← private when guest is unset; guest ← public', () => {
    const r = resolveAgentDevices([tt('Management', 'mgmt0'), tt('Guest', null), tt('Public', null)]);
    expect(r.Public).toEqual({ device: 'mgmt0', origin: 'the Management label', fromLabel: true });
    expect(r.Guest.device).toBe('mgmt0');
  });

  it('prefers the public label for private and guest', () => {
    expect(devices([tt('Public', 'cloudbr1')])).toEqual({
      Management: 'cloudbr1',
      Guest: 'cloudbr1',
      Public: 'cloudbr1',
      Storage: 'cloudbr1',
    });
  });

  it('the last set label wins across physical networks', () => {
    expect(devices([tt('Guest', 'a'), tt('Guest', 'b')]).Guest).toBe('b');
  });
});
