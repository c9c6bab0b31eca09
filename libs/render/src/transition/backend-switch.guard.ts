import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLinkKind, LiveState } from '@hostnet/intent/domain/live-state';
import { BackendSwitchError } from '../domain/render-errors';
import { withoutAgentLinuxCloud0 } from './agent-linux-cloud0';

const OVS_KINDS: ReadonlySet<LiveLinkKind> = new Set(['ovs-bridge', 'ovs-fake-bridge']);

/**
 * Refuses an intent that would turn a live bridge into the other backend's (an Open vSwitch cloudbr0 made
 * a Linux bridge, or the reverse). Neither transition planner moves a bridge between backends, and every
 * VM port on it would be cut; the usual cause is a profile the host should not take (a typo in
 * `hosts:` or a selector), which the operator must see before anything changes.
 */
export function refuseBackendSwitch(intent: HostNetworkIntent, live: LiveState): void {
  const kinds = new Map(live.links.map((l) => [l.name, l.kind]));
  // the agent's Linux cloud0 on an OVS host is the agent's to keep (withoutAgentLinuxCloud0), not a switch
  const switched = withoutAgentLinuxCloud0(intent, live).bridges.filter((b) => {
    const kind = kinds.get(b.name);
    return kind !== undefined && (intent.backend === 'ovs' ? kind === 'bridge' : OVS_KINDS.has(kind));
  });
  if (switched.length > 0) {
    // an OVS cloud0 under a Linux profile: the agent made it as its network.bridge.type is openvswitch, whatever the profile says
    throw new BackendSwitchError(switched.map((b) => b.name), intent.backend, switched.find((b) => b.role === 'link-local')?.name);
  }
}
