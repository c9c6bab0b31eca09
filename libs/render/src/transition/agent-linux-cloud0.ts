import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';

/**
 * The intent without its link-local bridge when the host runs that bridge (the CloudStack agent's cloud0) as a
 * Linux bridge and the intent is Open vSwitch: the agent makes cloud0 a Linux bridge on an OVS host while the
 * kernel's bridge module is loaded ("Networking KVM for CloudStack", "Internal bridge cloud0"), so it is the
 * agent's, and hostnet neither writes, makes nor switches it (contract 3). The verification accepts it as it runs
 * (liveDifferences). Otherwise the intent as given.
 */
export function withoutAgentLinuxCloud0(intent: HostNetworkIntent, live: LiveState): HostNetworkIntent {
  if (intent.backend !== 'ovs') return intent;
  const linux = new Set(live.links.filter((l) => l.kind === 'bridge').map((l) => l.name));
  const kept = intent.bridges.filter((b) => !(b.role === 'link-local' && linux.has(b.name)));
  return kept.length === intent.bridges.length ? intent : { ...intent, bridges: kept };
}
