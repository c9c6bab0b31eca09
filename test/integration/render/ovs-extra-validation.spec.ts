import { renderHost, type RenderedFile } from '@hostnet/render';
import { jumboIntent } from '../../../libs/intent/test-support/intent-fixtures';
import { startPrivateOvsdb } from './private-ovsdb';
import { cleanupTempDirs, tempDir, type ToolRun } from './tool-harness';

type Options = Record<string, string>;
const words = (value: string | undefined) => (value ? value.split(' ') : []);

/** The ovs-vsctl arguments openvswitch-switch's ifupdown hook (ifupdown.sh) runs for one stanza. */
function debianHookArgs(name: string, o: Options): string[] {
  const extra = o.ovs_extra ? ['--', ...words(o.ovs_extra)] : [];
  if (o.ovs_type === 'OVSBridge') return ['--', '--may-exist', 'add-br', name, ...words(o.ovs_options), ...extra];
  if (o.ovs_type === 'OVSPort') return ['--', '--may-exist', 'add-port', o.ovs_bridge, name, ...words(o.ovs_options), ...extra];
  return ['--', '--fake-iface', 'add-bond', o.ovs_bridge, name, ...words(o.ovs_bonds), ...words(o.ovs_options), ...extra];
}

/** The ovs-vsctl arguments the openvswitch package's ifup-ovs runs for one ifcfg file. */
function elIfupOvsArgs(v: Options): string[] {
  const extra = v.OVS_EXTRA ? ['--', ...words(v.OVS_EXTRA)] : [];
  const replace = ['--', '--if-exists', 'del-port', v.OVS_BRIDGE, v.DEVICE, '--'];
  if (v.TYPE === 'OVSBridge') return ['--', '--may-exist', 'add-br', v.DEVICE, ...words(v.OVS_OPTIONS), ...extra];
  if (v.TYPE === 'OVSPort') return [...replace, 'add-port', v.OVS_BRIDGE, v.DEVICE, ...words(v.OVS_OPTIONS), ...extra];
  return [...replace, 'add-bond', v.OVS_BRIDGE, v.DEVICE, ...words(v.BOND_IFACES), ...words(v.OVS_OPTIONS), ...extra];
}

/** OVS stanzas of an interfaces file as name → options, in file order. */
function ovsStanzas(file: string): Array<[string, Options]> {
  return file.split('\n\n').flatMap((stanza): Array<[string, Options]> => {
    const lines = stanza.split('\n').filter((l) => !l.startsWith('#'));
    const name = lines.find((l) => l.startsWith('iface '))?.split(' ')[1];
    const options = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)]));
    return name && options.ovs_type ? [[name, options]] : [];
  });
}

/** ifcfg files of OVS devices as their variables (quotes removed). */
function ovsIfcfgs(files: RenderedFile[]): Options[] {
  return files
    .filter((f) => f.path.includes('/ifcfg-'))
    .map((f) => Object.fromEntries(f.content.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^"(.*)"$/, '$1')])))
    .filter((v) => v.DEVICETYPE === 'ovs');
}

/** Bridges first (real, then fake: a fake bridge needs its parent), then ports, as a boot brings them up. */
const bootOrder = <T>(items: T[], kind: (t: T) => 'real' | 'fake' | 'port') => ['real', 'fake', 'port'].flatMap((k) => items.filter((t) => kind(t) === k));

/**
 * The MTU an OVS host keeps lives in OVS_EXTRA / ovs_extra (mtu_request). The rendered values run
 * here exactly as the distros' hooks run them, through a real ovs-vsctl against a private
 * ovsdb-server, and the Interface rows must then hold the jumbo MTU.
 */
describe('OVS MTU through the hooks\' ovs-vsctl command lines', () => {
  afterAll(cleanupTempDirs);
  const expectJumbo = (get: (iface: string) => string) => {
    for (const iface of ['eth0', 'eth1', 'cloudbr0', 'cloudbr100']) expect([iface, get(iface)]).toEqual([iface, '9000']);
    for (const iface of ['eth2', 'eth3', 'cloudbr1']) expect([iface, get(iface)]).toEqual([iface, '[]']);
  };
  const applyAll = (vsctl: (args: string[]) => ToolRun, commands: string[][]) => commands.map((args) => ({ args: args.join(' '), ...vsctl(args) })).filter((r) => r.status !== 0);

  it('debian-ifupdown-ovs: every stanza\'s hook command is accepted and sets mtu_request', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-debian'));
    try {
      const file = renderHost(jumboIntent('ovs'), 'debian-ifupdown-ovs', { ovsDatapathType: 'netdev' }).files.find((f) => f.path === '/etc/network/interfaces')!.content;
      const stanzas = bootOrder(ovsStanzas(file), ([, o]) => (o.ovs_type !== 'OVSBridge' ? 'port' : o.ovs_options ? 'fake' : 'real'));
      expect(applyAll(vsctl, stanzas.map(([name, o]) => debianHookArgs(name, o)))).toEqual([]);
      expectJumbo((iface) => vsctl(['get', 'interface', iface, 'mtu_request']).stdout.trim());
      expect(vsctl(['get', 'bridge', 'cloudbr0', 'datapath_type']).stdout.trim()).toBe('netdev');
    } finally {
      stop();
    }
  });

  it('el-network-scripts-ovs: every file\'s ifup-ovs command is accepted and sets mtu_request', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-el'));
    try {
      const files = ovsIfcfgs(renderHost(jumboIntent('ovs'), 'el-network-scripts-ovs').files);
      const ordered = bootOrder(files, (v) => (v.TYPE !== 'OVSBridge' ? 'port' : v.OVS_OPTIONS ? 'fake' : 'real'));
      expect(applyAll(vsctl, ordered.map(elIfupOvsArgs))).toEqual([]);
      expectJumbo((iface) => vsctl(['get', 'interface', iface, 'mtu_request']).stdout.trim());
    } finally {
      stop();
    }
  });

  it('refuses a malformed mtu_request (the check can fail)', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('ovsdb-bad'));
    try {
      const r = vsctl(['--', '--may-exist', 'add-br', 'cloudbr0', '--', 'set', 'interface', 'cloudbr0', 'mtu_request=jumbo']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/jumbo/);
    } finally {
      stop();
    }
  });
});
