import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { StackedDevicesError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';
import { refuseFlushingAddressing } from '../transition/lost-addressing.guard';
import { ACTIVATION_SNIPPETS as S } from './activation-snippets';
import type { PreviousFiles } from './activation-steps';
import { routeFileRoutes, runSides } from './network-scripts-activation';

const IFDOWN = /^activate-ifdown-/;
/** Snippets that drop an interface's IPv4 addresses (and with them the routes through them) before bringing it up again, or for good. */
const FLUSHING: ReadonlySet<string> = new Set([S.flushThenIfup, S.flushRoutesThenIfup, S.flushRoutes, S.ifdownFlush, S.ifdownForceFlush]);

/** The interfaces the activation takes down with ifdown (each step's last argument is the interface). */
export function ifdownedDevices(steps: readonly ApplyStep[]): string[] {
  return steps.filter((s) => s.phase === 'activate' && IFDOWN.test(s.name)).map((s) => s.argv.at(-1)!);
}

/**
 * Refuses an activation that would ifdown a link other owners' VLAN interfaces sit on. The transition guards
 * (vm-path.guard) see only what a transition moves or deletes; an activation re-applying a changed bond stanza
 * or ifcfg file takes the bond down too, and ifdown deletes it (ifenslave's post-down `ip link del`,
 * network-scripts' ifdown-eth through bonding_masters), the kernel every VLAN on it with it. hostnet's own
 * VLANs are brought up again by the same activation; the agent's (bond1.200 under brbond1-200) are not.
 */
export function refuseTakingDownStackedDevices(steps: readonly ApplyStep[], intent: HostNetworkIntent, live: LiveState, previous?: LiveState): void {
  const owned = new Set([...managedInterfaceNames(intent), ...(previous?.links ?? []).map((l) => l.name)]);
  const hit = [...new Set(ifdownedDevices(steps))].sort().flatMap((link) => {
    const stacked = live.links.filter((l) => l.kind === 'vlan' && l.parent === link && !owned.has(l.name));
    if (stacked.length === 0) return [];
    const bridges = [...new Set(stacked.map((l) => l.master).filter((m): m is string => m !== undefined))].sort();
    return [{ link, stacked: stacked.map((l) => l.name).sort(), bridges }];
  });
  if (hit.length > 0) throw new StackedDevicesError(hit);
}

/** The interfaces an activation step flushes of their IPv4 addresses (a snippet's, or Debian OVS's own `ip -4 addr flush dev X`). */
export function flushedDevices(steps: readonly ApplyStep[]): string[] {
  return steps
    .filter((s) => s.phase === 'activate' && ((s.argv[0] === 'sh' && FLUSHING.has(s.argv[2]!)) || s.argv.slice(0, 5).join(' ') === 'ip -4 addr flush dev'))
    .map((s) => s.argv.at(-1)!);
}

/**
 * Refuses an activation that would take addresses or static routes away that the rendered files do not bring
 * back. lost-addressing.guard sees the devices a transition makes ports or deletes; the activation also flushes
 * a bridge whose file changed before its ifup (ifup fails on an address already there, or only ever adds), and
 * ifdown drops what a port carries: an operator's second address on cloudbr0 and the route through it went too.
 */
export function refuseLosingAddressingOnActivation(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previousFiles: PreviousFiles): void {
  const down = new Set(ifdownedDevices(config.steps));
  // network-scripts' ifup adds the routes of a route-<dev> file in place back (ifup-routes)
  const restored = config.target.startsWith('el-network-scripts-') ? routeFileRoutes(runSides(config, previousFiles).after) : [];
  refuseFlushingAddressing(intent, live, new Set([...down, ...flushedDevices(config.steps)]), down, restored);
}
