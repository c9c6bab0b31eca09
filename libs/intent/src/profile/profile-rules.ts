import { z } from 'zod';
import { bondOptionProblems, type BondOptions } from '../validation/bond-options.validator';
import { pifNameProblem } from '../validation/interface-name.validator';
import { miimonProblem } from '../validation/network-values.validator';

/**
 * Cross-field rules of a profile file that need no topology (bond options vs mode, member reuse,
 * duplicate names, references between sections). Shapes are structural so the schema can use them.
 */

interface BondShape extends BondOptions {
  name: string;
  members: string[];
  miimon: number;
}
interface ProfileShape {
  backend: 'linux' | 'ovs';
  vlanSplinters: boolean;
  nics?: Record<string, unknown>;
  networks: Array<{ nic?: string; bond?: BondShape }>;
  extras?: Array<{ name: string; on: string }>;
}
interface ProfileSetShape {
  profiles: Record<string, unknown>;
  selectors: Array<{ profile: string; zone?: string; pod?: string; cluster?: string }>;
  hosts: Record<string, { profile?: string }>;
}

function issue(ctx: z.RefinementCtx, path: Array<string | number>, message: string): void {
  ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });
}

/** Rules inside one profile. */
export function refineProfile(profile: ProfileShape, ctx: z.RefinementCtx): void {
  if (profile.vlanSplinters && profile.backend !== 'ovs') {
    issue(ctx, ['vlanSplinters'], 'is an Open vSwitch setting; fix: remove vlanSplinters or use backend: ovs');
  }
  const bonds = new Map<string, { index: number; json: string }>();
  const memberOf = new Map<string, string>();
  const memberPath = new Map<string, Array<string | number>>();
  const directNics = new Set<string>();
  profile.networks.forEach((network, i) => {
    if ((network.nic === undefined) === (network.bond === undefined)) {
      issue(ctx, ['networks', i], 'needs exactly one uplink; fix: set either nic: eth0 or bond: { name, members, mode }');
      return;
    }
    if (network.nic !== undefined) {
      directNics.add(network.nic);
      const problem = pifNameProblem(network.nic);
      if (problem) issue(ctx, ['networks', i, 'nic'], `${JSON.stringify(network.nic)} ${problem}`);
      return;
    }
    const bond = network.bond as BondShape;
    const json = JSON.stringify(bond);
    const earlier = bonds.get(bond.name);
    if (earlier) {
      // The same bond may carry two physical networks, but only with one definition.
      if (earlier.json !== json) {
        issue(ctx, ['networks', i, 'bond'], `redefines bond ${bond.name} differently from networks[${earlier.index}].bond; fix: repeat the identical bond definition or rename one`);
      }
      return;
    }
    bonds.set(bond.name, { index: i, json });
    const pif = pifNameProblem(bond.name);
    if (pif) issue(ctx, ['networks', i, 'bond', 'name'], `${JSON.stringify(bond.name)} ${pif}`);
    for (const p of bondOptionProblems(bond, profile.backend)) issue(ctx, ['networks', i, 'bond', p.key], `${JSON.stringify(bond[p.key])} ${p.problem}`);
    const miimon = miimonProblem(bond.miimon, profile.backend);
    if (miimon) issue(ctx, ['networks', i, 'bond', 'miimon'], `${bond.miimon} ${miimon}`);
    bond.members.forEach((member, m) => {
      const owner = memberOf.get(member);
      if (owner !== undefined) {
        const where = owner === bond.name ? 'twice in this bond' : `already in bond ${owner}`;
        issue(ctx, ['networks', i, 'bond', 'members', m], `${JSON.stringify(member)} is ${where}; fix: a NIC can be enslaved to one bond once`);
      } else {
        memberOf.set(member, bond.name);
        memberPath.set(member, ['networks', i, 'bond', 'members', m]);
      }
    });
  });
  profile.networks.forEach((network, i) => {
    if (network.nic !== undefined && memberOf.has(network.nic)) {
      issue(ctx, ['networks', i, 'nic'], `${JSON.stringify(network.nic)} is also a member of bond ${memberOf.get(network.nic)}; fix: use the bond as uplink or take the NIC out of the bond`);
    }
    if (network.nic !== undefined && bonds.has(network.nic)) {
      issue(ctx, ['networks', i, 'nic'], `${JSON.stringify(network.nic)} names a bond; fix: write the bond under bond:, or use a NIC name`);
    }
  });
  for (const [member, path] of memberPath) {
    if (bonds.has(member)) issue(ctx, path, `${JSON.stringify(member)} is a bond, not a NIC; fix: list NICs as bond members`);
  }
  for (const name of Object.keys(profile.nics ?? {})) {
    if (!memberOf.has(name) && !directNics.has(name)) {
      issue(ctx, ['nics', name], 'is neither a bond member nor a NIC uplink of any network; fix: remove it or use it in networks[]');
    }
  }
  const uplinks = new Set([...bonds.keys(), ...directNics, ...memberOf.keys()]);
  const extras = new Set<string>();
  (profile.extras ?? []).forEach((extra, i) => {
    if (uplinks.has(extra.name) || extras.has(extra.name)) {
      issue(ctx, ['extras', i, 'name'], `${JSON.stringify(extra.name)} is already used by another interface; fix: give each interface its own name`);
    }
    extras.add(extra.name);
  });
}

/** Rules across sections: selectors and host overrides must name existing profiles; no duplicate selectors. */
export function refineProfileSet(doc: ProfileSetShape, ctx: z.RefinementCtx): void {
  const known = Object.keys(doc.profiles);
  const seen = new Map<string, number>();
  doc.selectors.forEach((selector, i) => {
    if (!(selector.profile in doc.profiles)) {
      issue(ctx, ['selectors', i, 'profile'], `${JSON.stringify(selector.profile)} is not defined; fix: use one of ${known.join(', ') || '(none: add profiles)'}`);
    }
    const key = JSON.stringify([selector.zone ?? null, selector.pod ?? null, selector.cluster ?? null]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      issue(ctx, ['selectors', i], `selects the same zone/pod/cluster as selectors[${earlier}]; fix: remove one, the choice would be ambiguous`);
    } else {
      seen.set(key, i);
    }
  });
  for (const [host, override] of Object.entries(doc.hosts)) {
    if (override.profile !== undefined && !(override.profile in doc.profiles)) {
      issue(ctx, ['hosts', host, 'profile'], `${JSON.stringify(override.profile)} is not defined; fix: use one of ${known.join(', ')}`);
    }
  }
}
