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
const words = (steps: RenderedConfig['steps'] | undefined) =>
  steps?.map((s) => (s.argv[0] !== 'sh' ? s.argv.join(' ') : s.argv[2]!.includes('ifup') ? `flush+ifup ${s.argv[4]}` : s.argv[2]!.includes('ifdown') ? `ifdown ${s.argv[4]}` : `flush ${s.argv[4]}`));

describe('networkScriptsActivation: apply without restarting the whole network', () => {
  it('a bond mode change on a configured host touches only the bond, never the bridges (or the VM taps on them)', () => {
    const bridge = 'DEVICE=cloudbr0\nTYPE=OVSBridge\nDEVICETYPE=ovs\n';
    const steps = networkScriptsActivation(
      rendered({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: 'DEVICE=bond0\nTYPE=OVSBond\nBOND_IFACES="eth0 eth1"\nOVS_OPTIONS="bond_mode=balance-slb"\n' }),
      before({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: 'DEVICE=bond0\nTYPE=OVSBond\nBOND_IFACES="eth0 eth1"\nOVS_OPTIONS="bond_mode=active-backup"\n' }),
    );
    expect(words(steps)).toEqual(['ifdown bond0', 'ifup bond0']);
  });

  it('a Linux bridge whose port goes down is brought up again from its file: ifdown-eth deletes a bridge left without ports', () => {
    const bridge = 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\nPREFIX=24\nGATEWAY=10.0.0.1\n';
    const bond = (mode: string) => `DEVICE=bond0\nTYPE=Bond\nBONDING_OPTS="mode=${mode} miimon=100"\nBRIDGE=cloudbr0\n`;
    const steps = networkScriptsActivation(
      rendered({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: bond('802.3ad') }),
      before({ [`${DIR}/ifcfg-cloudbr0`]: bridge, [`${DIR}/ifcfg-bond0`]: bond('active-backup') }),
    );
    // the bridge's addressing is unchanged: a plain ifup re-creates it (address, route) before the bond joins it
    expect(words(steps)).toEqual(['ifdown bond0', 'ifup cloudbr0', 'ifup bond0']);
    // the restore plans the same way back; a port naming a bridge hostnet has no file for (the agent's) adds nothing
    const agents = networkScriptsActivation(
      rendered({ [`${DIR}/ifcfg-eth3`]: 'DEVICE=eth3\nBRIDGE=breth3-300\nMTU=9000\n' }),
      before({ [`${DIR}/ifcfg-eth3`]: 'DEVICE=eth3\nBRIDGE=breth3-300\n' }),
    );
    expect(words(agents)).toEqual(['ifdown eth3', 'ifup eth3']);
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

  it('a file the run removes is flushed (ifdown has no file left to read); unknown old content (too large) leaves the target activation', () => {
    expect(words(networkScriptsActivation(rendered({}, [`${DIR}/ifcfg-bond1`]), before({ [`${DIR}/ifcfg-bond1`]: 'DEVICE=bond1\nTYPE=OVSBond\n' })))).toEqual(['flush bond1']);
    expect(networkScriptsActivation(rendered({ [`${DIR}/ifcfg-eth0`]: 'x\n' }), before({ [`${DIR}/ifcfg-eth0`]: undefined }))).toBeUndefined();
  });

  it('a bridge whose address changes is flushed before ifup (ifup-eth only adds); one whose addressing is the same is not', () => {
    const old = { [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\nDELAY=0\n' };
    const moved = networkScriptsActivation(rendered({ [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.6\nDELAY=0\n' }), before(old));
    expect(words(moved)).toEqual(['flush+ifup cloudbr0']);
    const same = networkScriptsActivation(rendered({ [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\nDELAY=2\n' }), before(old));
    expect(words(same)).toEqual(['ifup cloudbr0']);
  });

  it('a changed route file re-activates its device; an interface that becomes a bridge is never taken down; a removed file is flushed', () => {
    const routes = networkScriptsActivation(
      rendered({ [`${DIR}/route-cloudbr0`]: '10.1.0.0/16 via 10.0.0.1 dev cloudbr0\n' }),
      before({ [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n' }),
    );
    expect(words(routes)).toEqual(['flush+ifup cloudbr0']);
    const promoted = networkScriptsActivation(rendered({ [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nTYPE=Bridge\n' }), before({ [`${DIR}/ifcfg-eth0`]: 'DEVICE=eth0\nIPADDR=10.0.0.5\n' }));
    expect(words(promoted)).toEqual(['flush+ifup eth0']);
    const removed = networkScriptsActivation(rendered({}, [`${DIR}/ifcfg-eth3`]), before({ [`${DIR}/ifcfg-eth3`]: 'DEVICE=eth3\nIPADDR=10.9.0.5\n' }));
    expect(words(removed)).toEqual(['flush eth3']);
  });

  it('a new gateway in /etc/sysconfig/network re-activates the interfaces that carry an address', () => {
    const steps = networkScriptsActivation(
      rendered({ '/etc/sysconfig/network': 'GATEWAY=10.0.0.1\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n' }),
      before({ '/etc/sysconfig/network': 'GATEWAY=10.0.0.254\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\n', [`${DIR}/ifcfg-eth1`]: 'DEVICE=eth1\n' }),
    );
    // the bridge is never taken down; ifup only adds routes, so the old gateway's are dropped first
    expect(words(steps)).toEqual(['flush+ifup cloudbr0']);
  });
});

describe('networkScriptsActivation: a file that differs only in form is not re-activated', () => {
  it('quoting, key order, comments and PREFIX for NETMASK change nothing network-scripts reads', () => {
    const mine = { [`${DIR}/ifcfg-bond1`]: "DEVICE=bond1\nONBOOT=yes\nBONDING_OPTS='mode=1 miimon=100'\nBRIDGE=cloudbr1\n", [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=192.168.100.20\nNETMASK=255.255.255.0\nGATEWAY=192.168.100.1\n' };
    const hand = {
      [`${DIR}/ifcfg-bond1`]: '# bond for public traffic\nDEVICE="bond1"\nBRIDGE=cloudbr1\nBONDING_OPTS="mode=1 miimon=100"\nONBOOT=yes\n',
      [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=192.168.100.20\nPREFIX=24\nGATEWAY=192.168.100.1\n',
    };
    expect(networkScriptsActivation(rendered(mine), before(hand))).toEqual([]);
  });

  it('a real change still re-activates: another prefix, another bond option', () => {
    const steps = networkScriptsActivation(
      rendered({ [`${DIR}/ifcfg-bond1`]: "DEVICE=bond1\nBONDING_OPTS='mode=1 miimon=100'\n", [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\nNETMASK=255.255.255.0\n' }),
      before({ [`${DIR}/ifcfg-bond1`]: 'DEVICE=bond1\nBONDING_OPTS="mode=1 miimon=200"\n', [`${DIR}/ifcfg-cloudbr0`]: 'DEVICE=cloudbr0\nTYPE=Bridge\nIPADDR=10.0.0.5\nPREFIX=16\n' }),
    );
    expect(words(steps)).toEqual(['ifdown bond1', 'flush+ifup cloudbr0', 'ifup bond1']);
  });
});
