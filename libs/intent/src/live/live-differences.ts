import type { LiveLink, LiveState } from '../domain/live-state';
import { LINK_LOCAL_BRIDGE } from '../validation/interface-name.validator';
import { DEFAULT_MTU } from '../validation/mtu.validator';
import { heldToForeignPorts } from './foreign-port-mtu';
import { paramDifferences, paramDifferenceText } from './link-params';
import { ovsVlanLimits } from './ovs-vlan-limits';
import { routeFound } from './route-match';

/**
 * What the running network lacks compared with the expected one, one sentence per difference.
 * Only what is expected is checked: extra links (VM vnets, other NICs) are not differences, and a
 * bridge may have more ports than expected (CloudStack plugs VMs into it later).
 */
export function liveDifferences(expected: LiveState, actual: LiveState): string[] {
  const out: string[] = [];
  const links = new Map(actual.links.map((l) => [l.name, l]));
  for (const want of heldToForeignPorts(expected, actual).links) out.push(...linkDifferences(want, links.get(want.name)));
  for (const want of expected.addresses) {
    const found = actual.addresses.some((a) => a.dev === want.dev && a.address === want.address && a.prefix === want.prefix);
    if (!found) out.push(`address ${want.address}/${want.prefix} is not on ${want.dev}`);
  }
  for (const want of expected.routes) {
    if (!routeFound(want, actual.routes)) out.push(`route ${want.to}${want.via ? ` via ${want.via}` : ''} dev ${want.dev} is missing`);
  }
  return out;
}

/** Differences for one expected link (empty when it matches). */
export function linkDifferences(want: LiveLink, have: LiveLink | undefined): string[] {
  if (!have) return [`${want.kind} ${want.name} is missing`];
  const out: string[] = [];
  if (have.kind !== want.kind && !agentsLinuxCloud0(want, have)) out.push(`${want.name} is a ${have.kind}, expected a ${want.kind}`);
  if (want.master !== undefined && have.master !== want.master) {
    out.push(`${want.name} is enslaved to ${have.master ?? 'nothing'}, expected ${want.master}`);
  }
  const missing = (want.members ?? []).filter((m) => !(have.members ?? []).includes(m));
  if (missing.length > 0) out.push(`${want.name} lacks members ${missing.join(', ')}`);
  if (want.parent !== undefined && have.parent !== want.parent) {
    out.push(`${want.name} rides on ${have.parent ?? 'nothing'}, expected ${want.parent}`);
  }
  if (want.vlanId !== undefined && have.vlanId !== want.vlanId) {
    out.push(`${want.name} has VLAN ${have.vlanId ?? 'none'}, expected ${want.vlanId}`);
  }
  if (want.up === true && have.up === false) out.push(`${want.name} is down`);
  // facts leave the default MTU out
  if (want.mtu !== undefined && (have.mtu ?? DEFAULT_MTU) !== want.mtu) out.push(`${want.name} has MTU ${have.mtu ?? DEFAULT_MTU}, expected ${want.mtu}`);
  return [...out, ...paramDifferences(want, have).map(paramDifferenceText), ...uplinkVlanDifferences(want, have)];
}

/**
 * The CloudStack agent's cloud0 on an Open vSwitch host runs as a Linux bridge while the kernel's bridge module is
 * loaded ("Networking KVM for CloudStack", "Internal bridge cloud0"): the agent's choice, which a run keeps.
 */
const agentsLinuxCloud0 = (want: LiveLink, have: LiveLink) => want.name === LINK_LOCAL_BRIDGE && want.kind === 'ovs-bridge' && have.kind === 'bridge';

/**
 * What the intent expects of an OVS port's VLAN columns: an uplink that carries every VLAN (ovsVlanLimits
 * says why; hostnet's files do not set those columns, so nothing but a run puts the port right). Only the
 * intent's expectations are held to this (their links carry no ovsPort): a restore's check compares the
 * host with its own pre-run state, whose ports (VM taps with their VMs' tags among them) keep their columns.
 * Ports whose settings facts could not read are taken as they are.
 */
function uplinkVlanDifferences(want: LiveLink, have: LiveLink): string[] {
  const port = have.ovsPort;
  if (!port || want.ovsPort || (want.kind !== 'nic' && want.kind !== 'ovs-bond')) return [];
  return ovsVlanLimits(port).map((limit) => {
    switch (limit.column) {
      case 'tag':
        return `${want.name} is an access port of VLAN ${limit.value} (OVS tag), expected to carry every VLAN`;
      case 'trunks':
        return `${want.name} carries only VLANs ${limit.value.join(', ')} (OVS trunks), expected every VLAN`;
      case 'vlan_mode':
        return `${want.name} has OVS vlan_mode ${limit.value}, expected trunk`;
    }
  });
}
