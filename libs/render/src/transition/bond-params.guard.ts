import { paramDifferences, type ParamDifference } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { LiveStateRefusal } from '../domain/render-errors';
import { describeBridge } from './bridge-riders';
import { LIVE_BOND_PARAMS } from './link-param-steps';

/** A running bond whose mode or lacp_rate the intent changes, and what rides on it. */
export interface BondReset {
  bond: string;
  changes: readonly ParamDifference[];
  members: readonly string[];
  carries: readonly string[];
}

/** The bonds a run would have to take down to change: a bond's mode, and its lacp_rate. */
export class BondParamChangeError extends LiveStateRefusal {
  constructor(readonly bonds: readonly BondReset[]) {
    const what = (b: BondReset) => b.changes.map((c) => `${c.param} ${c.have ?? 'unknown'} (the profile sets ${c.want})`).join(' and ');
    const words = (b: BondReset) => b.changes.map((c) => `${c.param} ${c.want}`).join(' ');
    const byHand = (b: BondReset) => {
      const mode = b.changes.some((c) => c.param === 'mode');
      const release = mode ? b.members.map((m) => `ip link set dev ${m} nomaster`) : [];
      const rejoin = mode ? b.members.map((m) => `ip link set dev ${m} master ${b.bond}`) : [];
      return [`ip link set dev ${b.bond} down`, ...release, `ip link set dev ${b.bond} type bond ${words(b)}`, ...rejoin, `ip link set dev ${b.bond} up`].join('; ');
    };
    super(
      `${bonds.map((b) => `bond ${b.bond} runs with ${what(b)}${b.carries.length > 0 ? `, and carries ${b.carries.join(', ')}` : ''}`).join('; ')}: ` +
        'the bonding driver changes a bond\'s mode only while it is down with no members, and its lacp_rate only while it is down, ' +
        'and no activation does it for a bond that runs (networkd keeps an existing bond as it is, ifenslave cannot change the mode of a bond with slaves), ' +
        'so the run would end with the old settings; hostnet does not take down a bond that runs, nothing was changed; ' +
        `fix: put the host in maintenance (its VMs migrated) and, from its console (the bond may carry the management path), ${bonds.map(byHand).join('; ')}; ` +
        'then run the host again; or keep the running settings in the host\'s profile',
    );
  }
}

/** What rides on a bond: the bridge it is the port of (its addresses, ports that are not the intent's: VM taps, the agent's), VLAN interfaces on it. */
function carried(bond: LiveLink, live: LiveState, intent: HostNetworkIntent): string[] {
  const out: string[] = [];
  const onBridge = (bridge: string) => describeBridge(bridge, live, intent);
  if (bond.master !== undefined) out.push(onBridge(bond.master));
  for (const vlan of live.links.filter((l) => l.kind === 'vlan' && l.parent === bond.name)) {
    out.push(`VLAN ${vlan.name}${vlan.master !== undefined ? ` in ${onBridge(vlan.master)}` : ''}`);
  }
  return out;
}

/**
 * Linux bridge: refuses, before any step, a run that changes the mode or lacp_rate of a Linux bond that runs
 * (BondParamChangeError says why no run can, and the fix). Always refused, not only when something rides on the
 * bond: hostnet cannot tell that a bond carries nothing (a VM's traffic, the management path), and taking one
 * down and releasing its members from under a run's own connection is not a step it takes. A bond the run creates
 * gets its settings from its files; the bond's other parameters are set live (link-param-steps.ts).
 */
export function refuseBondParamChanges(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): void {
  if (intent.backend !== 'linux') return;
  const running = new Map(live.links.map((l) => [l.name, l]));
  const resets: BondReset[] = [];
  for (const want of expected.links) {
    const have = running.get(want.name);
    if (want.kind !== 'bond' || have?.kind !== 'bond') continue;
    const changes = paramDifferences(want, have).filter((d) => !LIVE_BOND_PARAMS.has(d.param) && d.have !== undefined);
    if (changes.length > 0) resets.push({ bond: want.name, changes, members: have.members ?? [], carries: carried(have, live, intent) });
  }
  if (resets.length > 0) throw new BondParamChangeError(resets);
}
