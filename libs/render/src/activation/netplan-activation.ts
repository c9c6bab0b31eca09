import { liveDifferences } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { heldToForeignPorts } from '@hostnet/intent/live/foreign-port-mtu';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { isParamStep } from '../transition/link-param-steps';
import { changedPaths, type PreviousFiles } from './activation-steps';

const NETPLAN_APPLY = 'netplan-apply';

/** The transition's narrow repairs that run after the activation: a link set up (down-link-steps), an MTU (mtu-steps), a parameter (link-param-steps). */
const isNarrowRepair = (step: ApplyStep): boolean => isParamStep(step) || /^(up|mtu)-/.test(step.name);

/**
 * The live state as the narrow repairs leave it: each expected link found down up, at the MTU the intent holds it
 * to (a VM's tap may hold a bridge lower, as mtuSteps and liveDifferences both take it), its bond's and bridge's
 * parameters as intended. What is left differs otherwise.
 */
function withNarrowRepairs(expected: LiveState, live: LiveState): LiveState {
  const want = new Map(heldToForeignPorts(expected, live).links.map((l) => [l.name, l]));
  const mend = (l: LiveLink): LiveLink => {
    const w = want.get(l.name);
    if (w === undefined || w.kind !== l.kind) return l;
    return {
      ...l,
      ...(w.up === true ? { up: true } : {}),
      ...(w.mtu !== undefined ? { mtu: w.mtu } : {}),
      ...(w.bond ? { bond: { ...l.bond, ...w.bond } } : {}),
      ...(w.bridge ? { bridge: { ...l.bridge, ...w.bridge } } : {}),
    };
  };
  return { ...live, links: live.links.map(mend) };
}

/**
 * netplan-linux: a run whose files are the host's already and whose live differences are all a link found down, an
 * MTU or a bond's or bridge's parameter runs those steps (`ip link set`) without `netplan apply`. For such drift the
 * steps are what networkd's reconfiguration would do (bring a configured link up, set the MTU a file names) or what
 * it cannot (networkd leaves a running netdev's parameters alone, link-param-steps.ts), and the apply has networkd
 * reconfigure every link hostnet's file names: it drops addresses no file gives, bounces a bond's members under the
 * agent's VLANs. Any other difference (a VLAN, an address or a route gone) keeps the apply, and the activation
 * guards judge it (netplanReconfiguredDevices).
 * Either netplan target: a run with no file changed and nothing drifted (only a forced one runs at all) keeps no
 * apply either, as the other targets' finer activations re-activate nothing then: forcing re-checks the host (its
 * files, a verification, the enable) and is no licence for a reconfiguration that would cost an operator's address.
 */
export function netplanActivation(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState, given?: LiveState): RenderedConfig {
  if (!config.target.startsWith('netplan-') || changedPaths(config, previous).length > 0) return config;
  const rest = config.steps.filter((s) => s.name !== NETPLAN_APPLY);
  if (rest.length === config.steps.length) return config;
  if (rest.length > 0 && (config.target !== 'netplan-linux' || !rest.every(isNarrowRepair))) return config;
  const expected = given ?? expectedLiveState(intent);
  // with no repair step, the live state as it is: withNarrowRepairs takes what drifted as those steps' to mend
  return liveDifferences(expected, rest.length > 0 ? withNarrowRepairs(expected, live) : live).length === 0 ? { ...config, steps: rest } : config;
}
