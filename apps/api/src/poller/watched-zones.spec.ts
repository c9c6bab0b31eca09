import type { Zone } from '@hostnet/cloudstack';
import { WatchedZones } from './watched-zones';

const zone = (id: string): Zone => ({ id, name: id, networkType: 'Advanced' });

describe('WatchedZones', () => {
  it('takes POLL_ZONES as given, without asking CloudStack', async () => {
    const listZones = jest.fn();
    const zones = new WatchedZones({ POLL_ZONES: ' z1 , zone two ', CLOUDSTACK_TOPOLOGY_TTL_MS: 1000 }, { listZones });
    await expect(zones.ids()).resolves.toEqual(['z1', 'zone two']);
    expect(listZones).not.toHaveBeenCalled();
  });

  it('lists every zone once per TTL, and again after a failure', async () => {
    let clock = 0;
    const listZones = jest.fn(async () => [zone('z1')]);
    const zones = new WatchedZones({ POLL_ZONES: '', CLOUDSTACK_TOPOLOGY_TTL_MS: 1000 }, { listZones }, () => clock);
    await zones.ids();
    clock = 999;
    listZones.mockResolvedValueOnce([zone('z1'), zone('z2')]);
    await expect(zones.ids()).resolves.toEqual(['z1']);
    expect(listZones).toHaveBeenCalledTimes(1);
    clock = 1000;
    await expect(zones.ids()).resolves.toEqual(['z1', 'z2']);
    listZones.mockRejectedValueOnce(new Error('503'));
    clock = 2000;
    await expect(zones.ids()).rejects.toThrow('503');
    await expect(zones.ids()).resolves.toEqual(['z1']);
    expect(listZones).toHaveBeenCalledTimes(4);
  });
});
