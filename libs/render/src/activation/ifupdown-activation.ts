import { isValidInterfaceName } from '@hostnet/intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { netmaskToPrefix } from '@hostnet/intent/validation/ipv4.validator';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { ACTIVATION_SNIPPETS, snippetArgv } from './activation-snippets';
import { activateStep, changedPaths, ifdownQuietly, unreadable, type PreviousFiles } from './activation-steps';
import { heldBeforeRun, type RunAddressing } from './held-before-run';

export const INTERFACES = '/etc/network/interfaces';
/** Files an ifupdown target writes that no ifup/ifdown reads: they need no interface re-activated. */
const NOT_ACTIVATED = /^\/etc\/(modules$|modules-load\.d\/|sysctl\.conf$|sysctl\.d\/|modprobe\.d\/)/;

/** `iface NAME …` blocks with their option lines, keyed by NAME, in file order. */
export function stanzas(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let current: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const iface = /^iface\s+(\S+)/.exec(line);
    if (iface) {
      current = iface[1]!;
      out.set(current, `${out.get(current) ?? ''}${line}\n`);
    } else if (/^(auto|allow-\S+|source|source-directory|mapping|rename)\b/.test(line)) {
      current = undefined;
    } else if (current) {
      out.set(current, `${out.get(current)}${line}\n`);
    }
  }
  return out;
}

/**
 * A stanza as ifupdown reads it, to tell a real change from one of form (a hand-written file with other
 * spacing or option order): runs of blanks are one, and the option lines under each `iface` line are
 * ordered by key, stably, so lines of one key (`up`, `post-up`: run in file order) keep their order.
 */
export function stanzaMeaning(stanza: string | undefined): string | undefined {
  if (stanza === undefined) return undefined;
  const blocks: string[][] = [];
  for (const line of stanza.split('\n').filter((l) => l !== '').map((l) => l.replace(/\s+/g, ' '))) {
    if (line.startsWith('iface ') || blocks.length === 0) blocks.push([line]);
    else blocks.at(-1)!.push(line);
  }
  const key = (line: string) => line.split(' ')[0]!;
  return blocks.map(([head, ...options]) => [head, ...options.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))].join('\n')).join('\n');
}

type Kind = 'ovs-bridge' | 'ovs-fake-bridge' | 'linux-bridge' | 'port';

function kindOf(stanza: string): Kind {
  if (/^ovs_type\s+OVSBridge\s*$/m.test(stanza)) return /^ovs_options\s+\S+\s+\d+\s*$/m.test(stanza) ? 'ovs-fake-bridge' : 'ovs-bridge';
  return /^bridge[_-]ports\s/m.test(stanza) ? 'linux-bridge' : 'port';
}

const isStatic = (stanza: string | undefined) => stanza !== undefined && /^iface\s+\S+\s+inet\s+static\b/m.test(stanza);
const carriesAddress = (stanza: string | undefined) => stanza !== undefined && (/^iface\s+\S+\s+inet\s+(static|dhcp)\b/m.test(stanza) || /^address\s/m.test(stanza));
const option = (stanza: string, key: RegExp) => new RegExp(`^${key.source}\\s+(.+)$`, 'm').exec(stanza)?.[1]?.trim().split(/\s+/) ?? [];

/** The addresses (`address A/P`, or `address A` with `netmask M`) and default route (`gateway`) a stanza gives its interface. */
function stanzaAddressing(stanza: string): RunAddressing {
  const mask = option(stanza, /netmask/)[0];
  const prefix = mask === undefined ? undefined : /^\d+$/.test(mask) ? Number(mask) : (netmaskToPrefix(mask) ?? undefined);
  const addresses = [...stanza.matchAll(/^address\s+(\S+)\s*$/gm)].map((m) => {
    const [address, own] = m[1]!.split('/');
    const p = own !== undefined ? Number(own) : prefix;
    return { address: address!, ...(p !== undefined ? { prefix: p } : {}) };
  });
  const gateway = option(stanza, /gateway/)[0];
  return { addresses, routes: gateway ? [{ to: 'default', via: gateway }] : [], leased: /^iface\s+\S+\s+inet\s+dhcp\b/m.test(stanza) };
}

/**
 * Classic ifupdown (Linux bridges): what must follow a re-activated interface. Its bond members
 * (`bond-master`) and VLANs go down and up with it, and a bridge whose `bridge_ports` name any of
 * them is re-applied in place, since only the bridge's hook puts a re-made port back in. OVS ports
 * name their bridge themselves, so OVS needs none of this.
 */
function withDependents(seed: ReadonlySet<string>, to: ReadonlyMap<string, string>): Set<string> {
  const out = new Set(seed);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, stanza] of to) {
      if (out.has(name)) continue;
      const over = [...option(stanza, /bond-master/), ...option(stanza, /vlan-raw-device/), ...(name.includes('.') ? [name.slice(0, name.lastIndexOf('.'))] : [])];
      const ports = kindOf(stanza) === 'linux-bridge' ? option(stanza, /bridge[_-]ports/) : [];
      if ([...over, ...ports].some((n) => out.has(n))) {
        out.add(name);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * A working order for ifup: OVS bridges first (their hook makes the bridge, then raises its
 * `ovs_ports`), fake VLAN bridges after their parents, then everything else in file order, which is
 * the order `ifup -a` uses (Linux: members, bonds, VLANs, then the bridge over them).
 */
function upOrder(names: Iterable<string>, to: ReadonlyMap<string, string>): string[] {
  const position = new Map([...to.keys()].map((n, i) => [n, i]));
  const rank = (n: string) => ({ 'ovs-bridge': 0, 'ovs-fake-bridge': 1, 'linux-bridge': 2, port: 2 })[kindOf(to.get(n)!)];
  return [...names].sort((a, b) => rank(a) - rank(b) || position.get(a)! - position.get(b)!);
}

/** ifupdown forgets an interface it has no stanza for (`-i /dev/null`) without running anything. */
const forgetStep = (prefix: string, names: string[]): ApplyStep =>
  activateStep(`${prefix}-forget`, snippetArgv(ACTIVATION_SNIPPETS.forget, names));

/** ifup, after flushing the IPv4 addresses the interface holds when ifup is about to set one (it fails on "already assigned"). */
const ifupStep = (prefix: string, name: string, flush: boolean): ApplyStep =>
  activateStep(`${prefix}-ifup-${name}`, flush ? snippetArgv(ACTIVATION_SNIPPETS.flushThenIfup, [name]) : ['ifup', name]);

/**
 * Classic ifupdown re-activation of only the stanzas that differ between the file the interfaces run
 * from (`fromText`) and the file now in place (`toText`), instead of `networking restart`, whose
 * `ifdown -a` deletes every bridge (the OVS hook runs `del-br`, bridge-utils `delbr`) and with it every
 * VM port. The file in place is the new one, so:
 * - changed stanzas that are not bridges: `ifdown --force` (by the new stanza: the OVS hook's
 *   `del-port`, ifenslave's release), their old addresses flushed;
 * - stanzas that left the file: ifdown knows them no more and only forgets them; their addresses are
 *   flushed, or the new owner's `address`/`gateway` fails (what the renderer's port flushes are for), unless
 *   `live` (the state the file in place ran with: a restore's pre-run state) had the interface up with every
 *   address and gateway the stanza gives it: those are the host's (a bridge made by hand), not the run's;
 * - bridges are never taken down: one whose stanza changed (or, on Linux, whose port is re-made) is
 *   forgotten and brought up again in place (OVS `--may-exist add-br`; bridge-utils keeps an existing
 *   bridge and adds the ports it lacks), so VM ports stay plugged;
 * - new stanzas are forgotten first too, so a stale ifupdown record (a run rolled back, its bridge
 *   deleted) cannot make ifup answer "already configured";
 * - then ifup of the changed and new stanzas in a working order (upOrder).
 * Unchanged stanzas (the same by stanzaMeaning) are not touched.
 */
export function ifupdownSteps(fromText: string, toText: string, prefix: string, live?: LiveState): ApplyStep[] {
  const from = stanzas(fromText);
  const to = stanzas(toText);
  const ours = (n: string) => n !== 'lo' && isValidInterfaceName(n);
  const changed = new Set([...to.keys()].filter((n) => ours(n) && stanzaMeaning(from.get(n)) !== stanzaMeaning(to.get(n))));
  const left = [...from.keys()].filter((n) => ours(n) && !to.has(n));
  const up = upOrder(withDependents(changed, to), to);
  const isBridge = (n: string) => kindOf(to.get(n)!) !== 'port';
  const down = up.filter((n) => !isBridge(n) && from.has(n)).reverse();
  const forget = up.filter((n) => isBridge(n) || !from.has(n));
  return [
    ...down.map((n) => ifdownQuietly(prefix, n, true, carriesAddress(from.get(n)))),
    ...[...left].reverse().map((n) => ifdownQuietly(prefix, n, true, carriesAddress(from.get(n)) && !heldBeforeRun(live, n, stanzaAddressing(from.get(n)!)))),
    ...(forget.length > 0 ? [forgetStep(prefix, forget)] : []),
    ...up.map((n) => ifupStep(prefix, n, isStatic(to.get(n)) || (isBridge(n) && carriesAddress(from.get(n))))),
  ];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `source` takes a glob (relative to /etc/network); `source-directory` every run-parts-style name in a directory. */
function sourcedPattern(kind: string, target: string): RegExp {
  const path = target.startsWith('/') ? target : `/etc/network/${target}`;
  if (kind === 'source-directory') return new RegExp(`^${escape(path.replace(/\/+$/, ''))}/[A-Za-z0-9_-]+$`);
  return new RegExp(`^${escape(path).replace(/\\\*/g, '[^/]*').replace(/\\\?/g, '[^/]')}$`);
}

/**
 * The interfaces file as ifupdown reads it: the files its `source` / `source-directory` lines name
 * (as facts read them, e.g. the installer's /etc/network/interfaces.d/50-cloud-init) appended, so a
 * stanza defined there counts as the host's. Undefined when such a file was too large to read.
 */
export function effectiveInterfaces(text: string, previous: PreviousFiles): string | undefined {
  let out = text;
  for (const m of text.matchAll(/^\s*(source|source-directory)\s+(\S+)\s*$/gm)) {
    const pattern = sourcedPattern(m[1]!, m[2]!);
    for (const path of [...previous.keys()].filter((p) => p !== INTERFACES && pattern.test(p)).sort()) {
      const content = previous.get(path)!.content;
      if (content === undefined) return undefined;
      out += `\n${content}`;
    }
  }
  return out;
}

/** True when every changed path is /etc/network/interfaces or a file no activation reads. */
export function onlyInterfacesActivate(changed: string[]): boolean {
  return changed.every((path) => path === INTERFACES || NOT_ACTIVATED.test(path));
}

/**
 * Apply-time activation for classic ifupdown (ifupdown2's `ifreload -a` is differential already):
 * the stanzas that change, from the host's file as facts read it (ifupdownSteps). Undefined keeps
 * the target's `networking restart`: the old file was too large to read, or the run changes a file
 * this plan does not understand.
 */
export function ifupdownActivation(rendered: RenderedConfig, previous: PreviousFiles): ApplyStep[] | undefined {
  const changed = changedPaths(rendered, previous);
  const next = rendered.files.find((f) => f.path === INTERFACES)?.content;
  const current = effectiveInterfaces(previous.get(INTERFACES)?.content ?? '', previous);
  if (next === undefined || current === undefined || unreadable(changed, previous) || !onlyInterfacesActivate(changed)) return undefined;
  return ifupdownSteps(current, next, 'activate');
}
