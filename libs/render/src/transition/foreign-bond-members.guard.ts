import { compareNatural } from '@hostnet/intent/builder/natural-order';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { ForeignBondMemberError } from '../domain/render-errors';
import { managedInterfaceNames } from '../foreign/foreign-configs';

/**
 * Refuses a run that would take out of a bond the intent makes an interface hostnet never listed (an eth4 an
 * operator added to bond0): OVS recreates the bond with the intent's interfaces only (`del-port bond0 --
 * add-bond cloudbr0 bond0 eth0 eth1`, bouncing what it carries), ifupdown forgets and releases a stanza it no
 * longer has. On EL the hand-written ifcfg-eth4 naming the bond is refused the same way (foreign-configs: a file
 * naming interfaces hostnet manages and one it does not). An interface the intent places elsewhere, or that
 * hostnet's last run put in the bond, is the intent's to move. A member still known by another name until a
 * MAC-pinned NIC is renamed is left to activation.
 */
export function refuseDroppingForeignBondMembers(intent: HostNetworkIntent, live: LiveState, previous?: LiveState): void {
  const managed = managedInterfaceNames(intent);
  const hostnets = new Set((previous?.links ?? []).filter((l) => l.master !== undefined).map((l) => `${l.name} ${l.master}`));
  const present = new Set(live.links.map((l) => l.name));
  const pinned = new Set(intent.nics.filter((n) => n.hwaddr !== undefined && !present.has(n.name)).map((n) => n.name));
  const found = intent.bonds.flatMap((bond) => {
    const link = live.links.find((l) => l.name === bond.name && (l.kind === 'bond' || l.kind === 'ovs-bond'));
    if (!link || bond.members.some((m) => pinned.has(m))) return [];
    const members = new Set([...(link.members ?? []), ...live.links.filter((l) => l.master === bond.name).map((l) => l.name)]);
    const foreign = [...members].filter((m) => !managed.has(m) && !hostnets.has(`${m} ${bond.name}`)).sort(compareNatural);
    return foreign.length > 0 ? [{ bond: bond.name, members: foreign, listed: [...bond.members] }] : [];
  });
  if (found.length > 0) throw new ForeignBondMemberError(found);
}
