import type { BondIntent, BridgeIntent } from '../domain/host-network-intent';
import type { LiveBondParams, LiveBridgeParams, LiveLink } from '../domain/live-state';
import { usesLacpRate, usesXmitHash } from '../validation/bond-options.validator';

/** The kernel's hundredths of a second per second of a bridge's forward delay. */
const FORWARD_DELAY_UNITS_PER_SECOND = 100;

/** What a Linux bond of the intent must run with: every parameter its files set, none they leave to the driver. */
export function intendedBondParams(bond: BondIntent): LiveBondParams {
  return {
    mode: bond.mode,
    miimon: bond.miimon,
    ...(bond.lacpRate !== undefined && usesLacpRate(bond.mode) ? { lacpRate: bond.lacpRate } : {}),
    ...(bond.xmitHashPolicy !== undefined && usesXmitHash(bond.mode) ? { xmitHashPolicy: bond.xmitHashPolicy } : {}),
  };
}

/**
 * What a Linux bridge of the intent must run with: its STP, and with STP on its forward delay. With STP off the
 * kernel forwards on a port at once whatever the delay (br_make_forwarding), and NetworkManager writes its default
 * 15 s for a keyfile's `forward-delay=0` (nm-device-bridge.c: default_if_zero), so the delay is not held there.
 */
export function intendedBridgeParams(bridge: BridgeIntent): LiveBridgeParams {
  return { stp: bridge.stp, ...(bridge.stp ? { forwardDelay: bridge.forwardDelay * FORWARD_DELAY_UNITS_PER_SECOND } : {}) };
}

/** The kernel's name of each parameter (`ip link set … type bond|bridge NAME VALUE`, `ip -d link`). */
const BOND_PARAM_NAMES = { mode: 'mode', miimon: 'miimon', lacpRate: 'lacp_rate', xmitHashPolicy: 'xmit_hash_policy' } as const;
const BRIDGE_PARAM_NAMES = { stp: 'stp_state', forwardDelay: 'forward_delay' } as const;

/** One parameter a link runs with that differs from the one expected; values as `ip` prints them (absent: not read). */
export interface ParamDifference {
  link: string;
  type: 'bond' | 'bridge';
  /** The kernel's name (BOND_PARAM_NAMES, BRIDGE_PARAM_NAMES). */
  param: string;
  key: keyof LiveBondParams | keyof LiveBridgeParams;
  have: string | undefined;
  want: string;
}

const word = (value: string | number | boolean | undefined): string | undefined =>
  value === undefined ? undefined : typeof value === 'boolean' ? (value ? '1' : '0') : String(value);

/**
 * The bond and bridge parameters `want` holds `have` to that it runs otherwise, in the kernel's words (stp_state
 * 0 or 1: facts read a bridge's 2, user-space STP, as on). Only what `want` carries is compared. Pure.
 */
export function paramDifferences(want: LiveLink, have: LiveLink | undefined): ParamDifference[] {
  const out: ParamDifference[] = [];
  const compare = <T extends object>(type: 'bond' | 'bridge', names: Record<keyof T & string, string>, wanted: T | undefined, found: T | undefined) => {
    for (const key of Object.keys(names) as (keyof T & string)[]) {
      const w = wanted?.[key];
      if (w === undefined) continue;
      const h = found?.[key];
      if (h === w) continue;
      out.push({ link: want.name, type, param: names[key], key: key as ParamDifference['key'], have: word(h as string | number | boolean | undefined), want: word(w as string | number | boolean)! });
    }
  };
  compare<LiveBondParams>('bond', BOND_PARAM_NAMES, want.bond, have?.bond);
  // an STP-less bridge's forward delay is inert (intendedBridgeParams): a restore's snapshot does not hold it either
  const bridge = want.bridge?.stp === false ? { stp: false } : want.bridge;
  compare<LiveBridgeParams>('bridge', BRIDGE_PARAM_NAMES, bridge, have?.bridge);
  return out;
}

/** `bond0 has bond mode active-backup, expected 802.3ad`. */
export function paramDifferenceText(d: ParamDifference): string {
  const unit = d.param === 'forward_delay' ? ' (hundredths of a second)' : '';
  return `${d.link} has ${d.type} ${d.param} ${d.have ?? 'unknown (not read)'}, expected ${d.want}${unit}`;
}
