import { paramDifferences } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { LiveStateRefusal } from '../domain/render-errors';
import { bridgeRiders, describeBridge } from './bridge-riders';

/** A running bridge the intent turns STP on for, what rides on it, and the forward delay it would get (hundredths of a second). */
export interface StpStart {
  bridge: string;
  carries: string;
  /** stp_state as facts read it (undefined: not read, the step would still set it). */
  have: string | undefined;
  forwardDelay: number;
}

/** A run would turn STP on for a running bridge that carries traffic: every port stops forwarding for twice the forward delay. */
export class StpStartError extends LiveStateRefusal {
  constructor(readonly bridges: readonly StpStart[]) {
    const names = bridges.map((b) => b.bridge).join(', ');
    const byHand = (b: StpStart) => `ip link set dev ${b.bridge} type bridge forward_delay ${b.forwardDelay}; ip link set dev ${b.bridge} type bridge stp_state 1`;
    super(
      `${bridges.map((b) => `${b.carries} runs with STP ${b.have === undefined ? 'in a state facts did not read' : 'off'} and the profile turns it on (forward delay ${b.forwardDelay / 100} s)`).join('; ')}: ` +
        'turning STP on for a running bridge puts every port of it through the listening and learning states, twice the forward delay without forwarding, ' +
        `so the VMs and the host's addresses on ${names} (the management path among them) would lose their network meanwhile, and the bridge starts sending BPDUs ` +
        'to the switch, whose ports with BPDU guard shut the uplink down; hostnet does not start STP on a bridge that carries traffic, nothing was changed; ' +
        `fix: put the host in maintenance (its VMs migrated) and, from its console (the bridge may carry the management path), ${bridges.map(byHand).join('; ')} ` +
        "once the switch ports take BPDUs, then run the host again; or keep stp false in the host's profile",
    );
  }
}

/**
 * Linux bridge: refuses, before any step, a run that turns STP on for a running bridge with an address or ports
 * that are not the intent's (VM taps, the agent's devices): link-param-steps would set stp_state 1 live. Turning
 * STP off live is not refused: the kernel's br_stp_stop only marks the bridge STP-less (kernel STP; a user-space
 * helper's ports go through br_port_state_selection), so forwarding ports keep forwarding, nothing is cut.
 * A bridge that carries nothing, or one the run creates, gets STP without a cut anyone notices.
 */
export function refuseStartingStp(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): void {
  if (intent.backend !== 'linux') return;
  const running = new Map(live.links.map((l) => [l.name, l]));
  const starts: StpStart[] = [];
  for (const want of expected.links) {
    const have = running.get(want.name);
    if (want.kind !== 'bridge' || have?.kind !== 'bridge') continue;
    const start = paramDifferences(want, have).find((d) => d.key === 'stp' && d.want === '1');
    if (start === undefined) continue;
    const riders = bridgeRiders(want.name, live, intent);
    if (riders.addresses.length + riders.ports.length === 0) continue;
    starts.push({ bridge: want.name, carries: describeBridge(want.name, live, intent), have: start.have, forwardDelay: want.bridge?.forwardDelay ?? 0 });
  }
  if (starts.length > 0) throw new StpStartError(starts);
}
