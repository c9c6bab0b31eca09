import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLinkKind, LiveState } from '@hostnet/intent/domain/live-state';
import { BackendSwitchError } from '../domain/render-errors';

const OVS_KINDS: ReadonlySet<LiveLinkKind> = new Set(['ovs-bridge', 'ovs-fake-bridge']);

/**
 * Refuses an intent that would turn a live bridge into the other backend's (an Open vSwitch cloudbr0 made
 * a Linux bridge, or the reverse). Neither transition planner moves a bridge between backends, and every
 * VM port on it would be cut; the usual cause is a profile the host should not take (a typo in
 * `hosts:` or a selector), which the operator must see before anything changes.
 */
export function refuseBackendSwitch(intent: HostNetworkIntent, live: LiveState): void {
  const kinds = new Map(live.links.map((l) => [l.name, l.kind]));
  const switched = intent.bridges.filter((b) => {
    const kind = kinds.get(b.name);
    return kind !== undefined && (intent.backend === 'ovs' ? kind === 'bridge' : OVS_KINDS.has(kind));
  });
  if (switched.length > 0) {
    // cloud0 is the agent's own, made by the agent whatever the profile says: its fix is not the profile's
    throw new BackendSwitchError(switched.map((b) => b.name), intent.backend, switched.find((b) => b.role === 'link-local')?.name);
  }
}
