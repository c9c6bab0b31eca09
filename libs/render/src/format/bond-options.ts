import type { BondIntent } from '@hostnet/intent/domain/host-network-intent';
import { LINUX_BOND_MODES, usesLacpRate, usesXmitHash } from '@hostnet/intent/validation/bond-options.validator';

/** initscripts BONDING_OPTS words: numeric mode as in the reference (`mode=1 miimon=100`). */
export function linuxBondingOpts(bond: BondIntent): string[] {
  const number = LINUX_BOND_MODES.indexOf(bond.mode);
  if (number < 0) throw new Error(`bond ${bond.name}: mode ${bond.mode} is not a Linux bonding mode (validation lets only those reach a Linux renderer)`);
  const words = [`mode=${number}`, `miimon=${bond.miimon}`];
  if (bond.lacpRate && usesLacpRate(bond.mode)) words.push(`lacp_rate=${bond.lacpRate}`);
  if (bond.xmitHashPolicy && usesXmitHash(bond.mode)) words.push(`xmit_hash_policy=${bond.xmitHashPolicy}`);
  return words;
}

/**
 * OVS Port column settings for a bond. OVS spells link monitoring as
 * `other_config:bond-detect-mode=miimon other_config:bond-miimon-interval=N`; a key like
 * `other_config:miimon=100` is silently ignored by ovs-vswitchd (the bond stays on carrier detection).
 */
export function ovsBondSettings(bond: BondIntent): string[] {
  const words = [`bond_mode=${bond.mode}`];
  if (bond.lacp) words.push(`lacp=${bond.lacp}`);
  if (bond.lacpRate) words.push(`other_config:lacp-time=${bond.lacpRate}`);
  if (bond.miimon > 0) {
    words.push('other_config:bond-detect-mode=miimon', `other_config:bond-miimon-interval=${bond.miimon}`);
  }
  return words;
}
