import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import type { ApplyStep } from '../domain/rendered-config';
import { setUp } from './linux-link-steps';

/** Lower devices first: a NIC before the bond it is in, a bond or NIC before a VLAN on it, bridges last. */
const ORDER: Record<string, number> = { nic: 0, veth: 0, bond: 1, vlan: 2, bridge: 3 };

/**
 * Linux bridge: the links of the intent that exist but are down, each set up after the activation. An
 * activation brings up only what it re-configures, and ifupdown keeps an interface it configured as up in its
 * state (ifup then does nothing), so a link taken down by hand stayed down with its files unchanged, and every
 * run failed verification on it ("cloudbr1 is down") and rolled back (seen in the lab). A link the run creates
 * comes up with its files. The restore takes these down again (its links-down snapshot, hostnet's links only).
 */
export function downLinkSteps(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): ApplyStep[] {
  const running = new Map(live.links.map((l) => [l.name, l]));
  return expected.links
    .filter((want) => want.up === true && running.get(want.name)?.up === false)
    .sort((a, b) => (ORDER[a.kind] ?? 3) - (ORDER[b.kind] ?? 3))
    .map((want) => setUp(want.name));
}
