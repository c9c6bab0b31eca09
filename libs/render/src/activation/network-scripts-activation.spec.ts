import type { RenderedConfig } from '../domain/rendered-config';
import type { PreviousFile } from './activation-steps';
import { networkScriptsActivation } from './network-scripts-activation';

const DIR = '/etc/sysconfig/network-scripts';
const rendered = (files: Record<string, string>, removes: string[] = []): RenderedConfig => ({
  target: 'el-network-scripts-ovs',
  files: Object.entries(files).map(([path, content]) => ({ path, content, mode: 0o644 })),
  removes,
  steps: [{ name: 'network-restart', argv: ['service', 'network', 'restart'], phase: 'activate' }],
});
const before = (files: Record<string, string | undefined>) =>
  new Map<string, PreviousFile>(Object.entries(files).map(([path, content]) => [path, content === undefined ? {} : { content }]));
const words = (steps: RenderedConfig['steps'] | undefined) => steps?.map((s) => (s.argv[0] === 'sh' ? `ifdown ${s.argv[4]}` : s.argv.join(' ')));

describe('networkScriptsActivation: apply without restarting the whole network', () => {
  it('a bond mode change on a configured host touches only the bond, never the bridges (or the VM taps on them)', () => {
    const bridge = 'DEVICE=cloudbr0\nTYPE=OVSBridge\nDEVICETYPE=ovs\n';
    const steps = networkScriptsActivation(
      rendered({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: 'DEVICE=bond0\nTYPE=OVSBond\nBOND_IFACES="eth0 eth1"\nOVS_OPTIONS="bond_mode=balance-slb"\n' }),
      before({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: 'DEVICE=bond0\nTYPE=OVSBond\nBOND_IFACES="eth0 eth1"\nOVS_OPTIONS="bond_mode=active-backup"\n' }),
    );
    expect(words(steps)).toEqual(['ifdown bond0', 'ifup bond0']);
  });

  it('a first run: old interfaces down (ports first), new ones up in network-scripts order (bridges, bonds, NICs, internal ports)', () => {
    const steps = networkScriptsActivation(
      rendered({
        [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nTYPE=OVSPort\nDEVICETYPE=ovs\nOVS_BRIDGE=cloudbr0\n',
        [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=OVSBridge\nIPADDR=10.0.0.5\n',
        [`${DIR}/ifcfg-cloudbr100`]: 'DEVICE=cloudbr100\nTYPE=OVSIntPort\n',
      }),
      before({ [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nIPADDR=10.0.0.5\n' }),
    );
    expect(words(steps)).toEqual(['ifdown eth0', 'ifup cloudbr0', 'ifup eth0', 'ifup cloudbr100']);
  });

  it('a file the run removes is taken down; unknown old content (too large) leaves the target activation', () => {
    expect(words(networkScriptsActivation(rendered({}, [`${DIR}/ifcfg-bond1`]), before({ [`${DIR}/ifcfg-bond1`]: 'DEVICE=bond1\nTYPE=OVSBond\n' })))).toEqual(['ifdown bond1']);
    expect(networkScriptsActivation(rendered({ [`${DIR}/ifcfg-eth0`]: 'x\n' }), before({ [`${DIR}/ifcfg-eth0`]: undefined }))).toBeUndefined();
  });

  it('a new gateway in /etc/sysconfig/network re-activates the interfaces that carry an address', () => {
    const steps = networkScriptsActivation(
      rendered({ '/etc/sysconfig/network': 'GATEWAY=10.0.0.1\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n' }),
      before({ '/etc/sysconfig/network': 'GATEWAY=10.0.0.254\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n', [`${DIR}/ifcfg-eth1`]: 'DEVICE=eth1\n' }),
    );
    // the bridge is re-applied in place by ifup, never taken down
    expect(words(steps)).toEqual(['ifup cloudbr0']);
  });
});
