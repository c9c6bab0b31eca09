import type { HostRecord } from './simulator-records';
import { SimulatorState } from './simulator-state';

/** What maintenance did with a host's VMs. */
export type Evacuation =
  | { ok: true; migrated: number; stopped: number }
  | { ok: false; errortext: string };

/**
 * ResourceManagerImpl.doMaintain, reduced to counts: every running VM migrates to an Up+Enabled host of the
 * same cluster with room (most free room first); with no such host at all the VMs are force-stopped
 * (handleVmForLastHostOrWithVGpu); when the cluster's other hosts lack room, nothing moves and the
 * host is left ErrorInPrepareForMaintenance (UnableToMigrate).
 */
export function evacuate(state: SimulatorState, host: HostRecord): Evacuation {
  const vms = host.runningVms ?? 0;
  if (vms === 0) return { ok: true, migrated: 0, stopped: 0 };
  const targets = state.hosts.filter((h) => h.id !== host.id && h.clusterId === host.clusterId && h.state === 'Up' && h.resourceState === 'Enabled');
  if (targets.length === 0) {
    state.clearVms(host);
    return { ok: true, migrated: 0, stopped: vms };
  }
  const room = (h: HostRecord) => Math.max(0, (h.vmCapacity ?? SimulatorState.DEFAULT_VM_CAPACITY) - (h.runningVms ?? 0));
  const free = targets.reduce((sum, h) => sum + room(h), 0);
  if (free < vms) {
    return { ok: false, errortext: `Unable to migrate ${vms} VM(s) away from host ${host.name}: the other hosts of its cluster have room for ${free}` };
  }
  state.clearVms(host);
  for (let left = vms; left > 0; left -= 1) state.addVms([...targets].sort((a, b) => room(b) - room(a))[0]!, 1);
  return { ok: true, migrated: vms, stopped: 0 };
}
