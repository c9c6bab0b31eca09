import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { nmUpStep } from '../renderers/networkmanager.renderer';
import { NM_FAKE_BRIDGE_HOOK_PATH } from '../renderers/nm-ovs-fake-bridges';
import { changedPaths, unreadable, type PreviousFiles } from './activation-steps';
import { drifted } from './networkmanager-activation';
import { type NmProfile, nmProfiles } from './nm-profiles';

/** From the device's own profile out to the bridge: an OVS bridge, its own port and internal interface share one name. */
const LEAF_FIRST = ['ethernet', 'ovs-interface', 'ovs-port', 'ovs-bridge'];

/**
 * The profile to bring up for a device that runs otherwise than the intent: its own (the internal interface
 * holding an address, a bond's port), NetworkManager bringing up the controllers it needs; for a device that
 * is not there at all, the outermost one (a missing bridge is its ovs-bridge profile, with every port).
 */
function profileOf(profiles: readonly NmProfile[], device: string, present: boolean): NmProfile | undefined {
  const mine = profiles.filter((p) => p.ifname === device).sort((a, b) => LEAF_FIRST.indexOf(a.type) - LEAF_FIRST.indexOf(b.type));
  return present ? mine[0] : mine.at(-1);
}

/**
 * networkmanager-ovs's activation limited to the profiles that change, as networkmanager-linux's is: the full
 * activation's `nmcli connection up` of every ovs-bridge profile re-activates each bridge with every port
 * NetworkManager made on it (ovs-bridge and ovs-port profiles carry autoconnect-slaves): its bond's members
 * and its internal interface, the management address with it, go down and come back, on bridges the run does
 * not change. So only the profiles whose file the run writes anew, whose device a moved-aside profile
 * configured, or whose device runs otherwise than the intent (what verification checks) are brought up, each
 * by itself: a changed ovs-interface profile re-activates that interface only, a changed bond port its port and
 * members. A profile whose controller is brought up comes along, unless its device is still a port of another
 * controller. Undefined (keep the full activation) when a changed file is not one hostnet knows or its old
 * content is unknown; the dispatcher hook needs nothing (its marking runs as the ovs-fake-bridge steps).
 */
export function networkManagerOvsActivation(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState | undefined, given?: LiveState): ApplyStep[] | undefined {
  const changed = changedPaths(config, previous);
  if (unreadable(changed, previous)) return undefined;
  const expected = given ?? expectedLiveState(intent);
  const profiles = nmProfiles(config);
  const byPath = new Map(profiles.map((p) => [p.path, p]));
  const neutralised = new Map((config.neutralised ?? []).map((n) => [n.path, n.interfaces]));
  const present = new Set((live?.links ?? []).map((l) => l.name));
  const wanted = new Set<NmProfile | undefined>([...(live ? drifted(intent, live, expected) : [])].map((d) => profileOf(profiles, d, present.has(d))));
  for (const path of changed) {
    const own = byPath.get(path);
    if (own) wanted.add(own);
    else if (neutralised.has(path)) neutralised.get(path)!.forEach((d) => wanted.add(profileOf(profiles, d, present.has(d))));
    else if (path !== NM_FAKE_BRIDGE_HOOK_PATH && !config.removes.includes(path)) return undefined;
  }
  const masterBefore = new Map((live?.links ?? []).map((l) => [l.name, l.master]));
  const masterAfter = new Map(expected.links.map((l) => [l.name, l.master]));
  const activated = new Set<string>();
  const covered = new Set<string>();
  for (const p of profiles) {
    const before = masterBefore.get(p.ifname);
    const comesAlong = p.master !== undefined && (activated.has(p.master) || covered.has(p.master)) && (before === undefined || before === masterAfter.get(p.ifname));
    if (comesAlong) covered.add(p.uuid);
    else if (wanted.has(p)) activated.add(p.uuid);
  }
  // an ovs-bridge profile's step is named after its bridge, as the full activation's
  return profiles.filter((p) => activated.has(p.uuid)).map((p) => nmUpStep(p.type === 'ovs-bridge' ? p.ifname : p.id, p.uuid));
}
