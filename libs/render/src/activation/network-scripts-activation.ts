import { isValidInterfaceName } from '@hostnet/intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { ifcfgMeaning, ifcfgValue } from '../format/ifcfg-value';
import { ifcfgSuffix } from '../format/ifcfg-path';
import { ignoredBy } from '../foreign/ignored-names';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { ACTIVATION_SNIPPETS, snippetArgv } from './activation-snippets';
import { activateStep, changedPaths, ifdownQuietly, unreadable, type PreviousFiles } from './activation-steps';
import { heldBeforeRun, type RunAddressing } from './held-before-run';

export const IFCFG_DIR = '/etc/sysconfig/network-scripts';
const SYSCONFIG_NETWORK = '/etc/sysconfig/network';

/** The interface of an ifcfg path, when it is one and its name is valid. */
export function ifcfgName(path: string): string | undefined {
  const name = ifcfgSuffix(path);
  return name && isValidInterfaceName(name) ? name : undefined;
}

/**
 * network-scripts' own order (as /etc/init.d/network brings interfaces up): bridges, then bonds,
 * NICs and OVS ports, then VLANs and OVS internal ports, which carry the addresses.
 */
export function ifcfgRank(content: string, name: string): number {
  const type = /^TYPE=["']?(\w+)/m.exec(content)?.[1] ?? '';
  if (type === 'OVSBridge' || type === 'Bridge') return 0;
  if (type === 'OVSBond' || /^BONDING_OPTS=/m.test(content)) return 1;
  if (type === 'OVSIntPort' || /^VLAN=yes/m.test(content) || name.includes('.')) return 3;
  return 2;
}

/** Config files by path, as one side of a run sees them (undefined: absent). */
export type FileContents = ReadonlyMap<string, string | undefined>;

const ROUTE = /^\/etc\/sysconfig\/network-scripts\/route-([^/]+)$/;
const ifcfgOf = (files: FileContents, name: string) => files.get(`${IFCFG_DIR}/ifcfg-${name}`);

/**
 * Interfaces to re-activate: those whose ifcfg or route file changed, and those carrying an address
 * (on either side) when the gateway file changed.
 */
function touchedInterfaces(changed: string[], from: FileContents, to: FileContents): string[] {
  const names = new Set<string>();
  for (const path of changed) {
    const name = ifcfgName(path) ?? ROUTE.exec(path)?.[1];
    if (name && isValidInterfaceName(name)) names.add(name);
  }
  if (changed.includes(SYSCONFIG_NETWORK)) {
    for (const files of [from, to]) {
      for (const [path, content] of files) {
        const name = ifcfgName(path);
        if (name && content !== undefined && /^IPADDR\d*=/m.test(content)) names.add(name);
      }
    }
  }
  return [...names];
}

/** What an interface's addresses and routes come from: its address variables, its route file, the gateway file. */
function addressing(files: FileContents, name: string): string {
  const lines = ifcfgMeaning(ifcfgOf(files, name) ?? '').split('\n').filter((l) => /^(IPADDR|PREFIX|GATEWAY|DEFROUTE)\d*=/.test(l));
  return [...lines, files.get(`${IFCFG_DIR}/route-${name}`) ?? '', ifcfgMeaning(files.get(SYSCONFIG_NETWORK) ?? '')].join('\n');
}

/**
 * A changed path whose old and new content mean the same to network-scripts (ifcfgMeaning: a hand-written
 * file with other quoting, key order or PREFIX for NETMASK) needs nothing re-activated: an ifdown of it
 * would only disturb what runs (a bond's ifdown deletes the bond and every VLAN on it).
 */
function sameMeaning(path: string, from: FileContents, to: FileContents): boolean {
  const [a, b] = [from.get(path), to.get(path)];
  if (a === undefined || b === undefined || (path !== SYSCONFIG_NETWORK && ifcfgName(path) === undefined)) return false;
  return ifcfgMeaning(a) === ifcfgMeaning(b);
}

/** The addresses (IPADDRn, PREFIXn or NETMASKn) and static routes (route-<name>) an interface's file gives it. */
function fileAddressing(files: FileContents, name: string): RunAddressing {
  const vars = new Map(ifcfgMeaning(ifcfgOf(files, name) ?? '').split('\n').map((l) => l.split('=', 2) as [string, string]));
  const addresses = [...vars].filter(([k]) => /^IPADDR\d*$/.test(k)).map(([k, address]) => {
    const prefix = Number(vars.get(`PREFIX${k.slice('IPADDR'.length)}`));
    return { address, ...(Number.isInteger(prefix) && prefix > 0 ? { prefix } : {}) };
  });
  const route = `${IFCFG_DIR}/route-${name}`;
  const routes = routeFileRoutes(new Map([[route, files.get(route)]])).filter((r) => r.dev === name);
  return { addresses, routes };
}

const rankIn = (files: FileContents, name: string) => {
  const content = ifcfgOf(files, name);
  return content === undefined ? undefined : ifcfgRank(content, name);
};

/** The Linux bridge a port's file names (BRIDGE=), when that bridge has a file of its own. */
function bridgeOfPort(files: FileContents, name: string): string | undefined {
  const bridge = ifcfgValue(ifcfgOf(files, name) ?? '', 'BRIDGE');
  return bridge !== undefined && isValidInterfaceName(bridge) && rankIn(files, bridge) === 0 ? bridge : undefined;
}

/** network-scripts' up order over the interfaces the target files describe. */
function upOrder(names: string[], files: FileContents): string[] {
  return [...names].sort((a, b) => rankIn(files, a)! - rankIn(files, b)! || a.localeCompare(b));
}

/** ifup, after dropping the IPv4 addresses and routes the interface holds (ifup-eth only ever adds them). */
const reapplyStep = (prefix: string, name: string): ApplyStep =>
  activateStep(`${prefix}-ifup-${name}`, snippetArgv(ACTIVATION_SNIPPETS.flushRoutesThenIfup, [name]));
const flushStep = (prefix: string, name: string): ApplyStep =>
  activateStep(`${prefix}-flush-${name}`, snippetArgv(ACTIVATION_SNIPPETS.flushRoutes, [name]));

/**
 * network-scripts re-activation of only the interfaces whose files differ between the files the host
 * runs from (`from`) and the files now in place (`to`): the same plan takes a run forward and a
 * restore back. ifdown reads the file in place, so:
 * - ports (in neither file a bridge) go down (ifdown-eth drops their addresses and routes) and up;
 * - bridges are never taken down: ifdown deletes them (ifdown-eth `brctl delbr`, ifdown-ovs `del-br`)
 *   and with them every VM tap the agent plugged in. ifup re-applies a bridge in place, but only ever
 *   adds addresses and routes, so when an existing bridge's addressing differs they are flushed first;
 * - but ifdown of a Linux bridge's port deletes that bridge when the port was its last one (ifdown-eth:
 *   `ip link del $BRIDGE` once brif is empty, the host's address with it), and ifup of the port then
 *   re-creates it bare: a bridge whose port goes down is brought up from its own file before its ports;
 * - an interface with no file in place cannot be taken down by ifdown: its addresses and routes are
 *   flushed (a run-created interface is deleted by the restore script itself), unless `live` (the state the
 *   files in place ran with: a restore's pre-run state) had it up with every address and route its file in
 *   `from` gives it: those are the host's, not the run's (the agent's cloud0, a bridge made by hand);
 * - then ifup of every touched interface the files in place describe, bridges first.
 * Unchanged interfaces (files the same by ifcfgMeaning) are not touched.
 */
export function networkScriptsSteps(changed: string[], from: FileContents, to: FileContents, prefix: string, live?: LiveState): ApplyStep[] {
  const names = touchedInterfaces(changed.filter((path) => !sameMeaning(path, from, to)), from, to);
  const isBridge = (n: string) => rankIn(from, n) === 0 || rankIn(to, n) === 0;
  const present = names.filter((n) => rankIn(to, n) !== undefined);
  const down = upOrder(present, to).filter((n) => !isBridge(n) && rankIn(from, n) !== undefined).reverse();
  const emptied = down.map((n) => bridgeOfPort(to, n)).filter((b): b is string => b !== undefined && !present.includes(b));
  const up = upOrder([...present, ...new Set(emptied)], to);
  const gone = names.filter((n) => rankIn(to, n) === undefined && !heldBeforeRun(live, n, fileAddressing(from, n))).sort();
  const reapply = (n: string) => isBridge(n) && rankIn(from, n) !== undefined && addressing(from, n) !== addressing(to, n);
  return [
    ...down.map((n) => ifdownQuietly(prefix, n, false)),
    ...gone.map((n) => flushStep(prefix, n)),
    ...up.map((n) => (reapply(n) ? reapplyStep(prefix, n) : activateStep(`${prefix}-ifup-${n}`, ['ifup', n]))),
  ];
}

/**
 * The static routes ifup-routes adds again when an interface comes up: its `route-<dev>` file in place, as
 * ip-route argument lines (`10.50.0.0/16 via 192.168.100.254 dev cloudbr0`) or ADDRESSn/NETMASKn/GATEWAYn. Not a
 * backup beside it (route-cloudbr0.bak): no interface of network-scripts bears its name (ignored-names.ts).
 */
export function routeFileRoutes(files: FileContents): { to: string; via?: string; dev: string }[] {
  return [...files].flatMap(([path, content]) => {
    const dev = ROUTE.exec(path)?.[1];
    if (dev === undefined || content === undefined || ignoredBy('network-scripts', path)) return [];
    if (/^\s*ADDRESS\d+=/m.test(content)) {
      const vars = new Map(ifcfgMeaning(content).split('\n').map((l) => l.split('=', 2) as [string, string]));
      return [...vars].filter(([k]) => /^ADDRESS\d+$/.test(k)).map(([k, address]) => {
        const n = k.slice('ADDRESS'.length);
        const via = vars.get(`GATEWAY${n}`);
        return { to: `${address}/${vars.get(`PREFIX${n}`) ?? '32'}`, ...(via ? { via } : {}), dev };
      });
    }
    return content.split('\n').map((l) => l.trim().split(/\s+/)).filter((w) => w[0] && !w[0].startsWith('#')).map((w) => {
      const after = (word: string) => (w.indexOf(word) > 0 ? w[w.indexOf(word) + 1] : undefined);
      const via = after('via');
      return { to: w[0]!, ...(via ? { via } : {}), dev: after('dev') ?? dev };
    });
  });
}

/** The host's files before the run, and the files once the run has written and removed its own. */
export function runSides(rendered: RenderedConfig, previous: PreviousFiles): { before: Map<string, string | undefined>; after: Map<string, string | undefined> } {
  const before = new Map([...previous].map(([path, f]) => [path, f.content]));
  const after = new Map([...before].filter(([path]) => !rendered.removes.includes(path)));
  for (const f of rendered.files) after.set(f.path, f.content);
  return { before, after };
}

/**
 * Apply-time activation for network-scripts: instead of `service network restart` (which deletes
 * and rebuilds every bridge, dropping every VM's tap), only the interfaces whose files change
 * (networkScriptsSteps). Undefined keeps the target's activation: an old file was too large to read.
 */
export function networkScriptsActivation(rendered: RenderedConfig, previous: PreviousFiles): ApplyStep[] | undefined {
  const changed = changedPaths(rendered, previous);
  if (unreadable(changed, previous)) return undefined;
  const { before, after } = runSides(rendered, previous);
  return networkScriptsSteps(changed, before, after, 'activate');
}
