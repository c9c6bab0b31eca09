import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep } from '../domain/rendered-config';
import { StackedDevicesError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';

const IFDOWN = /^activate-ifdown-/;

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
