import { liveDifferences } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import type { RenderedConfig } from '../domain/rendered-config';
import { isParamStep } from '../transition/link-param-steps';
import { changedPaths, type PreviousFiles } from './activation-steps';

const NETPLAN_APPLY = 'netplan-apply';

/** The live state with each expected bond's and bridge's parameters as intended: what is left differs otherwise. */
function withParamsMended(expected: LiveState, live: LiveState): LiveState {
  const want = new Map(expected.links.map((l) => [l.name, l]));
  const mend = (l: LiveLink): LiveLink => {
    const w = want.get(l.name);
    if (w === undefined || w.kind !== l.kind) return l;
    return { ...l, ...(w.bond ? { bond: { ...l.bond, ...w.bond } } : {}), ...(w.bridge ? { bridge: { ...l.bridge, ...w.bridge } } : {}) };
  };
  return { ...live, links: live.links.map(mend) };
}

/**
 * netplan-linux: a run whose files are the host's already and whose only live differences are bond and bridge
 * parameters runs the parameter steps without `netplan apply`. networkd does not change a running netdev's
 * parameters (link-param-steps.ts), so the apply would mend nothing, and it has networkd reconfigure every link
 * hostnet's file names, which bounces a bond's members under the agent's VLANs (netplanReconfiguredDevices, a
 * guard that judges only runs whose files change). Any other difference keeps the apply as it is.
 */
export function netplanActivation(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState): RenderedConfig {
  if (config.target !== 'netplan-linux' || changedPaths(config, previous).length > 0) return config;
  const rest = config.steps.filter((s) => s.name !== NETPLAN_APPLY);
  if (rest.length === config.steps.length || rest.length === 0 || !rest.every(isParamStep)) return config;
  const expected = expectedLiveState(intent);
  return liveDifferences(expected, withParamsMended(expected, live)).length === 0 ? { ...config, steps: rest } : config;
}
