import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ubuntuOvsIntent } from '../../test/fixtures/reference-intents';
import type { RenderedConfig } from '../domain/rendered-config';
import { renderHost } from '../render-host';
import type { PreviousFile } from './activation-steps';
import { ifupdownActivation, ifupdownSteps } from './ifupdown-activation';

const INTERFACES = '/etc/network/interfaces';
const golden = (target: string) => readFileSync(join(__dirname, '../../test/golden', target, 'etc/network/interfaces'), 'utf8');
const OVS = golden('debian-ifupdown-ovs');
const LINUX = golden('debian-ifupdown-linux');
/** What a stock Debian/Ubuntu ifupdown host has before hostnet's first run. */
const BLANK = 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address 172.16.152.39/24\n    gateway 172.16.152.2\n';

/** One word per step: `ifdown X`, `ifdown X +flush`, `forget A B`, `ifup X`, `ifup X +flush` (flushed first). */
function words(steps: RenderedConfig['steps'] | undefined): string[] | undefined {
  return steps?.map((s) => {
    if (s.name.endsWith('-forget')) return `forget ${s.argv.slice(4).join(' ')}`;
    if (s.argv[0] !== 'sh') return s.argv.join(' ');
    const script = s.argv[2]!;
    const verb = script.includes('ifup') ? 'ifup' : script.includes('ifdown --force') ? 'ifdown' : script;
    return `${verb} ${s.argv[4]}${script.includes('addr flush') ? ' +flush' : ''}`;
  });
}
const rendered = (content: string, extra: Record<string, string> = {}): RenderedConfig => ({
  target: 'debian-ifupdown-ovs',
  files: Object.entries({ [INTERFACES]: content, ...extra }).map(([path, c]) => ({ path, content: c, mode: 0o644 })),
  removes: [],
  steps: [{ name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' }],
});
const before = (files: Record<string, string | undefined>) =>
  new Map<string, PreviousFile>(Object.entries(files).map(([path, content]) => [path, content === undefined ? {} : { content }]));

describe('ifupdownSteps: classic ifupdown activates only the stanzas that change, never deleting a bridge', () => {
  it('a blank host (first run, OVS): the old eth0 forgotten and flushed, bridges raised first (their hook raises the bonds), then the bonds', () => {
    expect(words(ifupdownSteps(BLANK, OVS, 'activate'))).toEqual([
      // eth0 left the file (now a bond member): ifdown only forgets it, its address must go by hand
      'ifdown eth0 +flush',
      'forget cloudbr0 cloudbr1 cloudbr100 bond0 bond1',
      'ifup cloudbr0 +flush',
      'ifup cloudbr1',
      'ifup cloudbr100',
      'ifup bond0',
      'ifup bond1',
    ]);
  });

  it('a configured OVS host, bond0 mode changed: bond0 down and up, no bridge touched (VM ports stay)', () => {
    const changed = OVS.replace('ovs_bonds eth0 eth1\novs_options bond_mode=active-backup', 'ovs_bonds eth0 eth1\novs_options bond_mode=balance-slb');
    expect(words(ifupdownSteps(OVS, changed, 'activate'))).toEqual(['ifdown bond0', 'ifup bond0']);
    expect(ifupdownSteps(OVS, OVS, 'activate')).toEqual([]);
  });

  it('a changed OVS bridge stanza is re-applied in place: forgotten, its address flushed and set again by ifup, never ifdown (del-br)', () => {
    const changed = OVS.replace('dns-search mbplab.local', 'dns-search other.example');
    const steps = ifupdownSteps(OVS, changed, 'activate');
    expect(words(steps)).toEqual(['forget cloudbr0', 'ifup cloudbr0 +flush']);
    // one command, so the management address is gone only between the flush and ifup's `ip addr add`
    expect(steps[1]!.argv).toEqual(['sh', '-c', 'ip -4 addr flush dev "$1" 2>/dev/null || true; exec ifup "$1"', 'sh', 'cloudbr0']);
  });

  it('a removed stanza (bond1 dropped, eth2 now cloudbr1\'s port): bond1 forgotten, eth2 down and up, cloudbr1 in place', () => {
    const changed = OVS.replace(
      /allow-cloudbr1 bond1\n[^]*?\n\n/,
      '',
    )
      .replace('#auto eth2\n#iface eth2 inet manual', 'allow-cloudbr1 eth2\niface eth2 inet manual\novs_bridge cloudbr1\novs_type OVSPort')
      .replace('ovs_ports bond1', 'ovs_ports eth2');
    expect(words(ifupdownSteps(OVS, changed, 'activate'))).toEqual(['ifdown bond1', 'forget cloudbr1 eth2', 'ifup cloudbr1', 'ifup eth2']);
  });

  it('Linux bridges: a changed bond takes its members and VLAN down and up with it; the bridges over them are re-applied in place', () => {
    const changed = LINUX.replace('iface bond0 inet manual\nbond-mode active-backup', 'iface bond0 inet manual\nbond-mode balance-alb');
    expect(words(ifupdownSteps(LINUX, changed, 'activate'))).toEqual([
      'ifdown bond0.100',
      'ifdown bond0',
      'ifdown eth1',
      'ifdown eth0',
      'forget cloudbr0 cloudbr100',
      'ifup eth0',
      'ifup eth1',
      'ifup bond0',
      'ifup cloudbr0 +flush',
      'ifup bond0.100',
      'ifup cloudbr100 +flush',
    ]);
  });

  it('Linux bridges, first run: eth0 taken down (its static address flushed), everything new raised in file order', () => {
    const linuxNic = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet manual\n\nauto cloudbr0\niface cloudbr0 inet static\naddress 172.16.152.39\nnetmask 255.255.255.0\ngateway 172.16.152.2\nbridge_ports eth0\nbridge_fd 0\n';
    expect(words(ifupdownSteps(BLANK, linuxNic, 'activate'))).toEqual(['ifdown eth0 +flush', 'forget cloudbr0', 'ifup eth0', 'ifup cloudbr0 +flush']);
  });
});

describe('ifupdownActivation: when the plan replaces networking restart', () => {
  it('plans from the host\'s file; a file it does not understand or could not read keeps the target activation', () => {
    expect(words(ifupdownActivation(rendered(OVS, { '/etc/modules-load.d/hostnet.conf': 'bonding\n' }), before({ [INTERFACES]: BLANK })))).toHaveLength(7);
    expect(ifupdownActivation(rendered(OVS), before({ [INTERFACES]: undefined }))).toBeUndefined();
    expect(ifupdownActivation(rendered(OVS, { '/etc/network/interfaces.d/extra': 'x\n' }), before({ [INTERFACES]: OVS }))).toBeUndefined();
    // no file on the host at all: everything is new
    expect(words(ifupdownActivation(rendered(OVS), before({})))?.[0]).toBe('forget cloudbr0 cloudbr1 cloudbr100 bond0 bond1');
  });

  it('renderHost: networking restart and ifup --allow=ovs give way to the plan; the port flushes, sysctl and cloud0 stay', () => {
    const first = renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs', { previousFiles: before({ [INTERFACES]: BLANK }) });
    const names = first.steps.filter((s) => s.phase === 'activate').map((s) => s.name);
    expect(names).not.toContain('networking-restart');
    expect(names).not.toContain('ifup-allow-ovs');
    expect(names).toEqual(expect.arrayContaining(['flush-eth0', 'sysctl-bridge', 'activate-ifdown-eth0', 'activate-ifup-cloudbr0']));
    const bare = renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs');
    expect(bare.steps.map((s) => s.name)).toContain('networking-restart');
    // ifupdown2's ifreload -a already reloads only what differs
    const reload = renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs', { ifupdown2: true, previousFiles: before({ [INTERFACES]: BLANK }) });
    expect(reload.steps.map((s) => s.argv.join(' '))).toContain('ifreload -a');
  });
});

describe('stanzas the old file sources (installer configs under interfaces.d) count as the host\'s', () => {
  const SOURCING = 'source /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n';
  const CLOUD_INIT = 'auto eth0\niface eth0 inet static\n    address 172.16.152.39/24\n    gateway 172.16.152.2\n';

  it('forward: the sourced eth0 is taken down and flushed like one in the file itself', () => {
    const sourced = ifupdownActivation(rendered(OVS), before({ [INTERFACES]: SOURCING, '/etc/network/interfaces.d/50-cloud-init': CLOUD_INIT }));
    const inline = ifupdownActivation(rendered(OVS), before({ [INTERFACES]: `${SOURCING}\n${CLOUD_INIT}` }));
    expect(words(sourced)).toEqual(words(inline));
    expect(words(sourced)).toContain('ifdown eth0 +flush');
  });

  it("source-directory takes run-parts names only, no dotted backup; a source glob reads whatever it matches, a backup too (interfaces(5))", () => {
    const backup = { '/etc/network/interfaces.d/50-cloud-init.bak': CLOUD_INIT };
    const directory = ifupdownActivation(rendered(OVS), before({ [INTERFACES]: SOURCING.replace('source /etc/network/interfaces.d/*', 'source-directory interfaces.d'), ...backup }));
    expect(words(directory)).not.toContain('ifdown eth0 +flush');
    expect(words(ifupdownActivation(rendered(OVS), before({ [INTERFACES]: SOURCING, ...backup })))).toContain('ifdown eth0 +flush');
  });

  it('a sourced file too large to read leaves the target activation', () => {
    expect(ifupdownActivation(rendered(OVS), before({ [INTERFACES]: SOURCING, '/etc/network/interfaces.d/50-cloud-init': undefined }))).toBeUndefined();
  });
});

describe('ifupdownSteps: a stanza that differs only in form is not re-activated', () => {
  it('comments, runs of blanks and the order of different options change nothing ifupdown reads', () => {
    const hand = LINUX.replace(/(iface bond1[^\n]*\n)/, '$1    # uplink for public traffic\n')
      .replace(/bond-miimon 100/g, 'bond-miimon   100')
      .replace(/(\n\s*bond-mode [^\n]*)(\n\s*bond-miimon [^\n]*)/g, '$2$1');
    expect(hand).not.toEqual(LINUX);
    expect(ifupdownSteps(hand, LINUX, 'activate')).toEqual([]);
    expect(ifupdownSteps(LINUX, hand, 'restore')).toEqual([]);
  });

  it('a real change still re-activates, and lines of one key keep their order (up commands run in it)', () => {
    expect(words(ifupdownSteps(LINUX.replace('bond-miimon 100', 'bond-miimon 200'), LINUX, 'activate'))).toContain('ifup bond0');
    const ups = (a: string, b: string) => `auto eth9\niface eth9 inet manual\n    up ${a}\n    up ${b}\n`;
    expect(words(ifupdownSteps(ups('ip link set eth9 up', 'ethtool -K eth9 gro off'), ups('ethtool -K eth9 gro off', 'ip link set eth9 up'), 'activate'))).toEqual(['ifdown eth9', 'ifup eth9']);
  });
});
