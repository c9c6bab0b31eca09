import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedFile } from '@hostnet/render';
import type { ToolRun } from './tool-harness';

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

/** An ifcfg file's variables (quotes removed). */
export function ifcfgVars(content: string): Options {
  return Object.fromEntries(content.trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).replace(/^"(.*)"$/, '$1')]));
}

/** Bridges first (real, then fake: a fake bridge needs its parent), then ports, as a boot brings them up. */
const bootOrder = <T>(items: T[], kind: (t: T) => 'real' | 'fake' | 'port') => ['real', 'fake', 'port'].flatMap((k) => items.filter((t) => kind(t) === k));

/** The ovs-vsctl command lines a Debian boot runs for an interfaces file's OVS stanzas, in boot order. */
export function debianOvsCommands(interfacesFile: string): string[][] {
  const stanzas = bootOrder(ovsStanzas(interfacesFile), ([, o]) => (o.ovs_type !== 'OVSBridge' ? 'port' : o.ovs_options ? 'fake' : 'real'));
  return stanzas.map(([name, o]) => debianHookArgs(name, o));
}

/** The ovs-vsctl command lines an EL boot runs for the OVS ifcfg files, in boot order. */
export function elOvsCommands(files: RenderedFile[]): string[][] {
  const ovs = files.filter((f) => f.path.includes('/ifcfg-')).map((f) => ifcfgVars(f.content)).filter((v) => v.DEVICETYPE === 'ovs');
  return bootOrder(ovs, (v) => (v.TYPE !== 'OVSBridge' ? 'port' : v.OVS_OPTIONS ? 'fake' : 'real')).map(elIfupOvsArgs);
}

/** Runs the command lines in order; returns the ones ovs-vsctl refused, with their output. */
export function failedCommands(vsctl: (args: string[]) => ToolRun, commands: string[][]): Array<ToolRun & { args: string }> {
  return commands.map((args) => ({ args: args.join(' '), ...vsctl(args) })).filter((r) => r.status !== 0);
}

/**
 * The ovs-vsctl command lines of the systemd units `netplan generate` wrote under `root`, in boot
 * order (their Requires/After chain: real bridges, fake bridges, then ports and bonds).
 */
export function netplanOvsCommands(root: string): string[][] {
  const dir = join(root, 'run/systemd/system');
  const units = readdirSync(dir).filter((u) => u.startsWith('netplan-ovs-') && u !== 'netplan-ovs-cleanup.service');
  const commands = units.map((u) =>
    readFileSync(join(dir, u), 'utf8').split('\n').filter((l) => l.startsWith('ExecStart=/usr/bin/ovs-vsctl ')).map((l) => l.slice('ExecStart=/usr/bin/ovs-vsctl '.length).split(' ')),
  );
  const kind = (lines: string[][]) => {
    const addBr = lines.find((args) => args.includes('add-br'));
    return addBr === undefined ? 'port' : addBr.length > addBr.indexOf('add-br') + 2 ? 'fake' : 'real';
  };
  return bootOrder(commands, kind).flat();
}
