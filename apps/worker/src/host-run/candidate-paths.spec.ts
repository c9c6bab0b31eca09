import { centosOvsIntent, ubuntuLinuxBridgeIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { withoutBonds } from '../../../../libs/render/test/support/intent-variants';
import { candidatePaths } from './candidate-paths';

describe('candidatePaths (what facts hash before the target is known)', () => {
  it('lists every file any target of the backend writes, never the admin\'s /etc/modules', () => {
    const paths = candidatePaths(ubuntuLinuxBridgeIntent);
    expect(paths).toEqual(expect.arrayContaining(['/etc/network/interfaces', '/etc/netplan/60-hostnet.yaml', '/etc/sysconfig/network-scripts/ifcfg-bond0.100', '/etc/modules-load.d/hostnet.conf']));
    expect(paths).not.toContain('/etc/modules');
    expect(paths).toEqual([...paths].sort());
  });

  it('lists the files a target removes, so facts can see a stale one exist (OVS without bonds drops the modules drop-in)', () => {
    expect(candidatePaths(withoutBonds(centosOvsIntent))).toContain('/etc/modules-load.d/hostnet.conf');
  });
});
