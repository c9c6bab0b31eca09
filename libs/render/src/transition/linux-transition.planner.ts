import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep } from '../domain/rendered-config';
import { assertIfName } from '../validation/render-guard';
import { isForeignName } from './ovs-live-model';
import type { TransitionPlan } from './transition-plan';

const LINUX_DEVICES = new Set(['bond', 'bridge', 'vlan']);

const step = (name: string, argv: string[]): ApplyStep => ({ name, argv, phase: 'activate' });
const release = (nic: string) => step(`release-${nic}`, ['ip', 'link', 'set', 'dev', assertIfName(`live link ${nic}`, nic), 'nomaster']);
const remove = (dev: string) => step(`link-del-${dev}`, ['ip', 'link', 'del', 'dev', assertIfName(`live link ${dev}`, dev)]);
/** The undo's delete: a device already gone (the restore removes the links a run created itself) is done, not a failure. */
const removeIfPresent = (dev: string) =>
  step(`link-del-${dev}`, ['sh', '-c', 'ip link del dev "$1" 2>/dev/null || ! ip link show dev "$1" >/dev/null 2>&1', 'sh', assertIfName(`live link ${dev}`, dev)]);

/** Where the intent puts each NIC, bond and VLAN interface (its bond or bridge). */
function intendedMasters(intent: HostNetworkIntent): Map<string, string | undefined> {
  return new Map<string, string | undefined>([
    ...intent.nics.map((n) => [n.name, n.bond ?? n.bridge] as const),
    ...intent.bonds.map((b) => [b.name, b.bridge] as const),
    ...intent.vlans.map((v) => [v.name, v.bridge] as const),
  ]);
}

/**
 * Linux bridge targets: the written files re-create bonds and bridges, but no activation (network
 * restart, ifup, netplan apply, nmcli) takes a NIC out of a bond or bridge the new files no longer
 * name, nor deletes a device the files no longer mention. Before activation, NICs and ports that
 * move are released from their old master by name, and devices hostnet made that the intent retired
 * are deleted (only when nothing else, e.g. a VM tap, is left on them). The undo releases the same
 * links and deletes the devices this run creates, so the restored files re-create the old ones.
 */
export function planLinuxTransition(intent: HostNetworkIntent, live: LiveState, previous?: LiveState): TransitionPlan {
  const masters = intendedMasters(intent);
  const byName = new Map(live.links.map((l) => [l.name, l]));
  const hostnets = new Set((previous?.links ?? []).filter((l) => LINUX_DEVICES.has(l.kind)).map((l) => l.name));
  const moving = live.links.filter(
    (l) => l.master !== undefined && masters.has(l.name) && masters.get(l.name) !== l.master && !isForeignName(l.master),
  );
  const movingNames = new Set(moving.map((l) => l.name));
  const wanted = new Set([...intent.bonds, ...intent.vlans, ...intent.bridges].map((d) => d.name));
  const retired = live.links.filter(
    (l) =>
      LINUX_DEVICES.has(l.kind) &&
      !wanted.has(l.name) &&
      hostnets.has(l.name) &&
      !isForeignName(l.name) &&
      (l.members ?? []).every((m) => movingNames.has(m) || hostnets.has(m)),
  );
  const created = [...wanted].filter((name) => !byName.has(name) && !isForeignName(name));
  return {
    steps: [...moving.map((l) => release(l.name)), ...retired.map((l) => remove(l.name))],
    undoSteps: [...moving.map((l) => release(l.name)), ...created.map(removeIfPresent)],
    retired: retired.map((l) => l.name),
  };
}
