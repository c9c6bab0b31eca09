import type { ApplyStep } from '../domain/rendered-config';
import { assertIfName } from '../validation/render-guard';

const step = (name: string, argv: string[]): ApplyStep => ({ name, argv, phase: 'activate' });
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

/** One veth end into its bridge, up. */
export const enslaveUp = (end: string, bridge: string) => step(`enslave-${end}`, ['ip', 'link', 'set', 'dev', dev(end), 'master', dev(bridge), 'up']);
