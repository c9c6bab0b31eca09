import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep } from '../domain/rendered-config';
import { intendedMasters, vethPairs } from '../format/intent-lookups';
import { addBridge, addVeth, enslaveUp, learnAgain, moveBack, moveTo, release, remove, removeIfPresent } from './linux-link-steps';
import { isForeignName } from './ovs-live-model';
import { droppedNics } from './dropped-nics';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { downLinkSteps } from './down-link-steps';
import { mtuSteps } from './mtu-steps';
import { linkParamSteps } from './link-param-steps';
import type { TransitionPlan } from './transition-plan';
import { refuseCuttingOffVms } from './vm-path.guard';

const LINUX_DEVICES = new Set(['bond', 'bridge', 'vlan']);


/**
 * A relabel's veth pairs (docs/relabel.md §2, Linux): the new bridge (STP off) and the pair are made and
 * each end enslaved (learning nothing until the uplink has moved: `learn`) and up before anything moves,
 * so the uplink leaves the old bridge only once the old bridge reaches the new one. Undo: the pair deleted
 * (idempotent: the restore may have deleted it already as links this run made), an end that was there
 * before learning again; the new bridge is the restore's to delete, unless a VM tap joined it.
 */
function linkSteps(intent: HostNetworkIntent, byName: Map<string, LiveLink>): { steps: ApplyStep[]; undo: ApplyStep[]; bridges: Set<string>; learn: ApplyStep[] } {
  const steps: ApplyStep[] = [];
  const undo: ApplyStep[] = [];
  const learn: ApplyStep[] = [];
  const bridges = new Set<string>();
  for (const pair of vethPairs(intent)) {
    for (const bridge of [pair.bridge, pair.peerBridge]) {
      if (!byName.has(bridge) && !bridges.has(bridge)) steps.push(...addBridge(bridge));
      bridges.add(bridge);
    }
    if (!byName.has(pair.name) && !byName.has(pair.peer)) {
      steps.push(addVeth(pair.name, pair.peer, pair.mtu));
      undo.push(removeIfPresent(pair.name));
    }
    for (const [end, bridge] of [[pair.name, pair.bridge], [pair.peer, pair.peerBridge]] as const) {
      const live = byName.get(end);
      if (live?.master !== bridge || live.up !== true) {
        steps.push(...enslaveUp(end, bridge));
        learn.push(learnAgain(end));
        if (live) undo.push(learnAgain(end)); // an end this run did not make is not deleted by the undo
      }
    }
  }
  return { steps, undo, bridges, learn };
}

/**
 * hostnet's veth pairs the intent no longer has, deleted when an end sits in a bridge that goes (or in
 * none): one delete per pair (its peer goes with it), both names retired. A pair whose bridges both stay
 * (the old bridge keeps a VM tap) stays, so those VMs keep their path to the uplink.
 */
function retiredVeths(live: LiveState, wanted: Set<string>, hostnets: Set<string>, goingBridges: Set<string>): { deletes: string[]; names: string[] } {
  const deletes: string[] = [];
  const names = new Set<string>();
  for (const l of live.links) {
    if (l.peer === undefined || wanted.has(l.name) || !hostnets.has(l.name) || names.has(l.name)) continue;
    const peer = live.links.find((p) => p.name === l.peer);
    const ends = [l, ...(peer ? [peer] : [])];
    if (!ends.some((e) => e.master === undefined || goingBridges.has(e.master))) continue;
    deletes.push(l.name);
    ends.forEach((e) => names.add(e.name));
  }
  return { deletes, names: [...names] };
}

/**
 * Linux bridge targets: the written files re-create bonds and bridges, but no activation (network
 * restart, ifup, netplan apply, nmcli) takes a NIC out of a bond or bridge the new files no longer
 * name, nor deletes a device the files no longer mention. Before activation, NICs and ports that
 * move are released from their old master by name (or moved straight into a bridge that already
 * runs), and devices hostnet made that the intent retired are deleted (only when nothing else, e.g. a
 * VM tap, is left on them). The undo puts moved links back and releases the others (and links the run
 * enslaves from no master), so the restored files re-create the old ones. It deletes no device this run
 * created: the restore does, only while no VM tap or device of the agent's hangs off it.
 */
export function planLinuxTransition(intent: HostNetworkIntent, live: LiveState, previous?: LiveState, expected: LiveState = expectedLiveState(intent)): TransitionPlan {
  const masters = intendedMasters(intent);
  const byName = new Map(live.links.map((l) => [l.name, l]));
  const hostnets = new Set((previous?.links ?? []).filter((l) => LINUX_DEVICES.has(l.kind) || l.peer !== undefined).map((l) => l.name));
  const links = linkSteps(intent, byName);
  const moving = live.links.filter(
    (l) => l.master !== undefined && masters.has(l.name) && masters.get(l.name) !== l.master && !isForeignName(l.master),
  );
  const movingNames = new Set(moving.map((l) => l.name));
  const wanted = new Set([...intent.bonds, ...intent.vlans, ...intent.bridges].map((d) => d.name));
  const isBridgeNow = (name: string | undefined) => name !== undefined && (byName.get(name)?.kind === 'bridge' || links.bridges.has(name));
  const moves = moving.filter((l) => isBridgeNow(masters.get(l.name)));
  // a NIC the profile dropped leaves the bond or bridge hostnet put it in (and only that one)
  const dropped = droppedNics(intent, previous, live).filter((l) => !isForeignName(l.master!)).map((l) => byName.get(l.name)!);
  const releases = [...moving.filter((l) => !moves.includes(l)), ...dropped];
  const releasedNames = new Set(releases.map((l) => l.name));
  const retired = live.links.filter(
    (l) =>
      LINUX_DEVICES.has(l.kind) &&
      !wanted.has(l.name) &&
      hostnets.has(l.name) &&
      !isForeignName(l.name) &&
      (l.members ?? []).every((m) => movingNames.has(m) || releasedNames.has(m) || hostnets.has(m)),
  );
  const linkEnds = new Set((intent.links ?? []).flatMap((l) => l.ends.map((e) => e.name)));
  const veths = retiredVeths(live, linkEnds, hostnets, new Set(retired.map((l) => l.name)));
  const bonds = new Set(intent.bonds.map((b) => b.name));
  const bonded = new Map(live.links.filter((l) => bonds.has(masters.get(l.name) ?? '') && l.master !== masters.get(l.name)).map((l) => [l.name, masters.get(l.name)!]));
  refuseCuttingOffVms(intent, live, { moved: [...movingNames, ...dropped.map((l) => l.name)], deleted: [...veths.names, ...retired.map((l) => l.name)], bonded });
  // a link in no master now (a spare NIC) that activation enslaves: the restored files would leave it where the run put it
  const enslaved = live.links.filter((l) => l.master === undefined && masters.get(l.name) !== undefined && !isForeignName(l.name));
  const ups = downLinkSteps(intent, live, expected);
  const mtus = mtuSteps(intent, live, expected);
  const params = linkParamSteps(intent, live, expected);
  return {
    steps: [...links.steps, ...releases.map((l) => release(l.name)), ...veths.deletes.map(remove), ...retired.map((l) => remove(l.name))],
    ...(moves.length + links.learn.length > 0 ? { moves: [...moves.map((l) => moveTo(l.name, masters.get(l.name)!)), ...links.learn] } : {}),
    undoSteps: [
      ...moves.map((l) => moveBack(l.name, l.master!)),
      ...[...releases, ...enslaved].map((l) => release(l.name)),
      ...links.undo,
      ...params.undo,
    ],
    retired: [...veths.names, ...retired.map((l) => l.name)],
    ...(ups.length > 0 ? { ups } : {}),
    ...(mtus.length > 0 ? { mtus } : {}),
    ...(params.steps.length > 0 ? { params: params.steps } : {}),
  };
}
