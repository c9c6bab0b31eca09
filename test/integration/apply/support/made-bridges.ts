/**
 * What the on-host restore does before the plan's undo steps, for tests that run those steps by hand: the
 * bridges that were not there before go (here nothing but the run's own is on them; restore.sh keeps one that
 * holds a port hostnet does not own). `ovs` runs ovs-vsctl with its arguments.
 */
export function removeBridgesMadeSince(ovs: (...args: string[]) => string, before: string[]): void {
  for (const bridge of ovs('list-br').split('\n').filter(Boolean)) {
    if (!before.includes(bridge)) ovs('--if-exists', 'del-br', bridge);
  }
}
