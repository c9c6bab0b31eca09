import type { ApplyStep } from '../domain/rendered-config';
import { assertIfName, assertInt } from '../validation/render-guard';

const step = (name: string, argv: string[]): ApplyStep => ({ name, argv, phase: 'activate' });

/** The names of the steps below: a transition's own, never part of putting a host's old files back in effect. */
const TRANSITION_STEP = /^(release|link-del|link-add|link-up|enslave|nolearn|learn|move|move-back|mtu|up|param|param-back)-/;
export const isLinuxTransitionStep = (s: ApplyStep): boolean => TRANSITION_STEP.test(s.name);
const dev = (name: string) => assertIfName(`live link ${name}`, name);

/** Takes a link out of its bond or bridge. */
export const release = (link: string) => step(`release-${link}`, ['ip', 'link', 'set', 'dev', dev(link), 'nomaster']);

/** Deletes a device (a veth end takes its peer with it). */
export const remove = (link: string) => step(`link-del-${link}`, ['ip', 'link', 'del', 'dev', dev(link)]);

/** The undo's delete: a device already gone (the restore removes the links a run created itself) is done, not a failure. */
export const removeIfPresent = (link: string) =>
  step(`link-del-${link}`, ['sh', '-c', 'ip link del dev "$1" 2>/dev/null || ! ip link show dev "$1" >/dev/null 2>&1', 'sh', dev(link)]);

/** A port moved from one bridge straight into another: one netlink call, so it is never without a bridge. */
export const moveTo = (link: string, bridge: string) => step(`move-${link}`, ['ip', 'link', 'set', 'dev', dev(link), 'master', dev(bridge)]);

/**
 * The undo of a move: back into its bridge when that bridge still runs; otherwise (the restore deleted a
 * bridge this run made, or the restored files re-create it) released, and the restored files enslave it.
 */
export const moveBack = (link: string, bridge: string) =>
  step(`move-back-${link}`, ['sh', '-c', 'ip link set dev "$1" master "$2" 2>/dev/null || ip link set dev "$1" nomaster', 'sh', dev(link), dev(bridge)]);

/**
 * A bridge for a relabel's expand layout, STP off and forward delay 0 (docs/relabel.md §2): the uplink
 * moved into it forwards at once instead of listening and learning for twice the forward delay.
 */
export const addBridge = (bridge: string): ApplyStep[] => [
  step(`link-add-${bridge}`, ['ip', 'link', 'add', 'name', dev(bridge), 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']),
  step(`link-up-${bridge}`, ['ip', 'link', 'set', 'dev', dev(bridge), 'up']),
];

/** A veth pair, both ends with the uplink's MTU (a bridge runs at the smallest MTU of its ports). */
export const addVeth = (end: string, peer: string, mtu: number | undefined): ApplyStep => {
  const size = mtu === undefined ? [] : ['mtu', String(mtu)];
  return step(`link-add-${end}`, ['ip', 'link', 'add', 'name', dev(end), ...size, 'type', 'veth', 'peer', 'name', dev(peer), ...size]);
};

/**
 * One veth end into its bridge, learning no addresses until the uplink has moved (learnAgain), then up.
 * Until then the new bridge's only way to the uplink's side is the pair: a frame flooded across it (the
 * router's broadcasts) would teach it that the router sits behind its own veth end, and once the uplink
 * is in, the old bridge's VMs' frames to the router would come in on that end and be dropped until the
 * router speaks first (seen in the lab when networkd moved the uplink: 0.4-1.2 s without an answer).
 */
export const enslaveUp = (end: string, bridge: string): ApplyStep[] => [
  step(`enslave-${end}`, ['ip', 'link', 'set', 'dev', dev(end), 'master', dev(bridge)]),
  step(`nolearn-${end}`, ['ip', 'link', 'set', 'dev', dev(end), 'type', 'bridge_slave', 'learning', 'off']),
  step(`link-up-${end}`, ['ip', 'link', 'set', 'dev', dev(end), 'up']),
];

/** A veth end learns again, from an empty table, once the uplink has moved. */
export const learnAgain = (end: string) => step(`learn-${end}`, ['ip', 'link', 'set', 'dev', dev(end), 'type', 'bridge_slave', 'fdb_flush', 'learning', 'on']);

const mtuWord = (link: string, mtu: number) => String(assertInt(`MTU of ${link}`, mtu, 68, 65535));

/**
 * A link set to the MTU the intent holds it to. No undo step: the restore sets every link's MTU back as the
 * run found it (restore.script.ts, from the apply's snapshot).
 */
export const setMtu = (link: string, mtu: number) => step(`mtu-${link}`, ['ip', 'link', 'set', 'dev', dev(link), 'mtu', mtuWord(link, mtu)]);

/**
 * A bridge set to its MTU only when its ports have not brought it there: a Linux bridge follows its ports'
 * MTU until one is set on it, which pins it there (a port changed later no longer moves it).
 */
export const setBridgeMtu = (bridge: string, mtu: number) =>
  step(`mtu-${bridge}`, ['sh', '-c', 'ip link show dev "$1" | grep -q " mtu $2 " || ip link set dev "$1" mtu "$2"', 'sh', dev(bridge), mtuWord(bridge, mtu)]);

/** A link of the intent found down set up again (down-link-steps.ts); the restore takes it down again. */
export const setUp = (link: string) => step(`up-${link}`, ['ip', 'link', 'set', 'dev', dev(link), 'up']);
