import { centosOvsIntent, ubuntuLinuxBridgeIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { candidatePaths } from './candidate-paths';

describe('candidatePaths (what facts hash before the target is known)', () => {
  it('lists every file any target of the backend writes, never the admin\'s /etc/modules', () => {
    const paths = candidatePaths(ubuntuLinuxBridgeIntent);
    expect(paths).toEqual(expect.arrayContaining(['/etc/network/interfaces', '/etc/netplan/60-hostnet.yaml', '/etc/sysconfig/network-scripts/ifcfg-bond0.100', '/etc/modules-load.d/hostnet.conf']));
    expect(paths).not.toContain('/etc/modules');
    expect(paths).toEqual([...paths].sort());
  });

  it('lists the files a target removes, so facts can see a stale one exist (OVS without bonds drops the modules drop-in)', () => {
    const noBonds = { ...centosOvsIntent, nics: centosOvsIntent.nics.map((n) => ({ name: n.name })), bonds: [] };
    noBonds.nics[0] = { name: 'eth0', bridge: 'cloudbr0' };
    noBonds.nics[2] = { name: 'eth2', bridge: 'cloudbr1' };
    noBonds.bridges = noBonds.bridges.map((b) => (b.name === 'cloudbr0' ? { ...b, uplink: 'eth0' } : b.name === 'cloudbr1' ? { ...b, uplink: 'eth2' } : b));
    expect(candidatePaths(noBonds)).toContain('/etc/modules-load.d/hostnet.conf');
  });
});
