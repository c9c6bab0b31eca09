import type { HostNetworkIntent } from '@hostnet/intent';
import type { LiveState } from '@hostnet/intent';
import type { HostExpectation } from './workflow-plan';

/** Builds the verification expectation from an intent and its expectedLiveState(intent). */
export function expectationFromIntent(intent: HostNetworkIntent, live: LiveState): HostExpectation {
  return {
    backend: intent.backend,
    live,
    managementBridge: intent.managementBridge,
    managementAddress: intent.managementAddress.address,
    gateway: intent.defaultGateway,
    labelBridges: intent.bridges.filter((b) => b.role === 'traffic-label').map((b) => b.name),
  };
}
