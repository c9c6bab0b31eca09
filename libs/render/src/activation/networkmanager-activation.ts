import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { routeFound } from '@hostnet/intent/live/route-match';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { linkPorts } from '../format/intent-lookups';
import { stableUuid } from '../format/stable-uuid';
import { nmKeyfilePath, nmUpStep } from '../renderers/networkmanager.renderer';
import { changedPaths, unreadable, type PreviousFiles } from './activation-steps';
import { nmProfiles } from './nm-profiles';

/** A hostnet profile and the controller whose activation (autoconnect-slaves) activates it too. */
interface Profile {
  name: string;
  controller?: string;
  /** A relabel's veth end: brought up itself, after its peer, never along with its controller (see below). */
  veth?: true;
}

/**
 * Controllers before their ports, as NetworkManager needs them: bridges, the relabel's veth ends (the
 * path between old and new bridge is whole before an uplink moves across it), bonds, NICs (a bond's or a
 * bridge's), VLANs (their parent NIC may be brought up first).
 */
function profilesInUpOrder(intent: HostNetworkIntent): Profile[] {
  return [
    ...intent.bridges.filter((b) => b.role !== 'link-local').map((b) => ({ name: b.name })),
    ...linkPorts(intent)
      .filter((p) => p.kind === 'veth')
      .map((p) => ({ name: p.name, controller: p.bridge, veth: true as const })),
    ...intent.bonds.map((b) => ({ name: b.name, controller: b.bridge })),
    ...intent.nics.map((n) => ({ name: n.name, controller: n.bond ?? n.bridge })),
    ...intent.vlans.map((v) => ({ name: v.name, controller: v.bridge })),
  ];
}

/** Interfaces whose running state is not what the intent expects: their profile must be brought up even if its file is unchanged. */
export function drifted(intent: HostNetworkIntent, live: LiveState, expected: LiveState = expectedLiveState(intent)): Set<string> {
  const links = new Map(live.links.map((l) => [l.name, l]));
  const out = new Set<string>();
  for (const want of expected.links) {
    const have = links.get(want.name);
    const differs =
      !have ||
      (want.master !== undefined && have.master !== want.master) ||
      (want.up === true && have.up === false) ||
      (want.parent !== undefined && have.parent !== want.parent) ||
      (want.vlanId !== undefined && have.vlanId !== want.vlanId);
    if (differs) out.add(want.name);
  }
  for (const want of expected.addresses) {
    if (!live.addresses.some((a) => a.dev === want.dev && a.address === want.address && a.prefix === want.prefix)) out.add(want.dev);
  }
  for (const want of expected.routes) {
    if (!routeFound(want, live.routes)) out.add(want.dev);
  }
  return out;
}

/**
 * networkmanager-linux's activation limited to the profiles that change: `nmcli connection up` of a
 * bridge re-activates it and every port it has, and NetworkManager then holds the ports out of the
 * bridge for some 20 ms (watched in the lab: a VM's tap on an untouched old bridge lost pings during a
 * relabel's expand). So only profiles whose file the run writes anew, whose interface a moved-aside
 * foreign profile configured, or whose interface runs differently from the intent are brought up; a
 * port whose controller is brought up is left to the controller, as the full activation does, unless it
 * is still a port of another controller (seen in the lab: NetworkManager left a moved uplink active
 * under the old bridge and put it back there). A relabel's veth end never comes along: seen in the lab, the new
 * bridge's activation failed its end ('dependency-failed') while the transition's peer ran under
 * NetworkManager's external connection, and retried it only some 5 s later; brought up by itself after its
 * peer's profile, it comes up at once. Undefined (keep every bridge's `up`) when a changed file
 * is not a profile hostnet knows or its old content is unknown. Like network-scripts' and ifupdown's finer
 * activation, a forced run with nothing changed or drifted re-activates nothing (drift here is what
 * verification checks: links, masters, VLANs, up, addresses, routes; not MTUs, which the transition's ip steps
 * set, nor bridge options).
 */
export function networkManagerActivation(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState | undefined, expected?: LiveState): ApplyStep[] | undefined {
  const changed = changedPaths(config, previous);
  if (unreadable(changed, previous)) return undefined;
  const profiles = profilesInUpOrder(intent);
  const byPath = new Map(profiles.map((p) => [nmKeyfilePath(p.name), p.name]));
  const neutralised = new Map((config.neutralised ?? []).map((n) => [n.path, n.interfaces]));
  const written = new Set(config.files.map((f) => f.path));
  const wanted = new Set(live ? drifted(intent, live, expected) : []);
  for (const path of changed) {
    const name = byPath.get(path);
    if (name !== undefined && written.has(path)) wanted.add(name);
    else if (neutralised.has(path)) neutralised.get(path)!.forEach((n) => wanted.add(n));
    else if (!config.removes.includes(path)) return undefined;
    // else a retired profile: the transition deletes its device
  }
  // A controller's activation takes along the ports it had (their connections cycle with it) and free ones
  // (autoconnect-slaves), never a port still active under another controller: that one is brought up itself.
  const masterBefore = new Map((live?.links ?? []).map((l) => [l.name, l.master]));
  const activated = new Set<string>();
  const covered = new Set<string>();
  for (const p of profiles) {
    const before = masterBefore.get(p.name);
    const comesAlong = !p.veth && p.controller !== undefined && (activated.has(p.controller) || covered.has(p.controller)) && (before === undefined || before === p.controller);
    if (comesAlong) covered.add(p.name);
    else if (wanted.has(p.name)) activated.add(p.name);
  }
  // by the uuid the profile's file holds: an adopted one (foreign/adopted-uuids.ts) where it took over another's
  const uuids = new Map(nmProfiles(config).map((p) => [p.path, p.uuid]));
  return profiles.filter((p) => activated.has(p.name)).map((p) => nmUpStep(p.name, uuids.get(nmKeyfilePath(p.name)) ?? stableUuid(intent.hostId, p.name)));
}
