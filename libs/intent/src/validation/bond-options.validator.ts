import { BOND_MODES, type BondMode, type BridgeBackend } from '../domain/host-network-intent';

/** Bond modes of the Linux bonding driver, in its numeric order (mode=0 … mode=6, as BONDING_OPTS writes them). */
export const LINUX_BOND_MODES: readonly BondMode[] = BOND_MODES.linux;
/** Bond modes Open vSwitch implements. */
export const OVS_BOND_MODES: readonly BondMode[] = BOND_MODES.ovs;

/** Linux modes that hash by xmit_hash_policy (kernel bonding.rst). */
const XMIT_HASH_MODES: readonly BondMode[] = ['balance-xor', '802.3ad', 'balance-tlb'];

/** Whether a Linux bond of this mode negotiates LACP, so lacp_rate applies. */
export function usesLacpRate(mode: BondMode): boolean {
  return mode === '802.3ad';
}

/** Whether a Linux bond of this mode picks its slave by xmit_hash_policy. */
export function usesXmitHash(mode: BondMode): boolean {
  return XMIT_HASH_MODES.includes(mode);
}

/** The bond settings the option rules look at. */
export interface BondOptions {
  mode: BondMode;
  lacpRate?: string;
  xmitHashPolicy?: string;
  lacp?: string;
}

/** One misplaced bond option: which key and why, with the fix. */
export interface BondOptionProblem {
  key: 'mode' | 'lacpRate' | 'xmitHashPolicy' | 'lacp';
  problem: string;
}

/** Every option that does not fit the bond's mode and backend (options a mode ignores are rejected, not dropped). */
export function bondOptionProblems(bond: BondOptions, backend: BridgeBackend): BondOptionProblem[] {
  const out: BondOptionProblem[] = [];
  const modes: readonly BondMode[] = BOND_MODES[backend];
  if (!modes.includes(bond.mode)) {
    out.push({ key: 'mode', problem: `is not a bond mode of backend ${backend}; fix: use one of ${modes.join(', ')}` });
    return out;
  }
  if (backend === 'linux') {
    if (bond.lacp !== undefined) {
      out.push({ key: 'lacp', problem: 'is an Open vSwitch setting; fix: remove lacp (linux bonds negotiate LACP with mode 802.3ad)' });
    }
    if (bond.lacpRate !== undefined && !usesLacpRate(bond.mode)) {
      out.push({ key: 'lacpRate', problem: `is only used by mode 802.3ad, not ${bond.mode}; fix: remove lacpRate or use mode 802.3ad` });
    }
    if (bond.xmitHashPolicy !== undefined && !usesXmitHash(bond.mode)) {
      out.push({
        key: 'xmitHashPolicy',
        problem: `is only used by modes ${XMIT_HASH_MODES.join(', ')}, not ${bond.mode}; fix: remove xmitHashPolicy or change the mode`,
      });
    }
    return out;
  }
  if (bond.xmitHashPolicy !== undefined) {
    out.push({ key: 'xmitHashPolicy', problem: 'is a linux bonding setting; fix: remove it (OVS hashes by bond mode balance-slb/balance-tcp)' });
  }
  const negotiates = bond.lacp === 'active' || bond.lacp === 'passive';
  if (bond.mode === 'balance-tcp' && !negotiates) {
    out.push({ key: 'lacp', problem: 'must be active or passive for balance-tcp; fix: set lacp: active (and LACP on the switch)' });
  }
  if (bond.lacpRate !== undefined && !negotiates) {
    out.push({ key: 'lacpRate', problem: 'only applies when LACP is negotiated; fix: set lacp: active|passive or remove lacpRate' });
  }
  return out;
}
