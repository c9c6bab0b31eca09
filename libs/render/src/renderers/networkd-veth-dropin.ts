import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { FilePlan } from '../domain/file-plan';
import { type LinkPort, vethPairs } from '../format/intent-lookups';
import { textFile } from '../format/text-file';
import { assertIfName } from '../validation/render-guard';

/**
 * Where netplan-linux keeps a relabel's veth pairs across a reboot: a drop-in of systemd-networkd's own
 * unit, so nothing has to be enabled. netplan before 0.107 (Ubuntu 22.04) cannot describe a veth, and
 * networkd must not own the ends either: reconfiguring them on `netplan apply` flapped the pair in the lab
 * (docs/relabel.md). No .network file matches the ends, so networkd leaves them alone, as it does VM taps.
 */
export const NETWORKD_VETH_DROPIN = '/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf';

/** How long, in tenths of a second, the boot-time command waits for networkd to have made both bridges. */
const BRIDGE_WAIT_TENTHS = 100;

/**
 * One ExecStartPost per pair: once both bridges exist, the pair unless it runs already, each end into its
 * bridge and up. `$$` is systemd's escape for the shell's `$`. When a bridge never comes (the layout moved
 * on and systemd still runs this drop-in from memory) it makes nothing; `-` keeps that from failing networkd.
 */
function execStartPost(pair: LinkPort): string {
  const [end, peer, old, next] = [pair.name, pair.peer, pair.bridge, pair.peerBridge].map((n) => assertIfName('links[].ends[]', n));
  const mtu = pair.mtu === undefined ? '' : ` mtu ${pair.mtu}`;
  const script = [
    `n=0; until ip link show dev ${old} >/dev/null 2>&1 && ip link show dev ${next} >/dev/null 2>&1; do n=$$((n+1)); [ $$n -lt ${BRIDGE_WAIT_TENTHS} ] || exit 1; sleep 0.1; done`,
    `ip link show dev ${end} >/dev/null 2>&1 || ip link add ${end}${mtu} type veth peer name ${peer}${mtu}`,
    `ip link set dev ${end} master ${old} up && ip link set dev ${peer} master ${next} up`,
  ].join('; ');
  return `ExecStartPost=-/bin/sh -c '${script}'`;
}

/** The drop-in when the intent has veth pairs; otherwise its removal, so the layout's contract takes it away. */
export function networkdVethDropIn(intent: HostNetworkIntent): FilePlan {
  const pairs = vethPairs(intent);
  if (pairs.length === 0) return { files: [], removes: [NETWORKD_VETH_DROPIN] };
  const content = () =>
    textFile([
      "# hostnet: the veth pairs of a relabel's expand layout (docs/relabel.md), which netplan does not describe.",
      '# Made once networkd runs and both bridges exist; no .network matches their ends, so networkd leaves them alone.',
      '[Service]',
      ...pairs.map(execStartPost),
    ]);
  return { files: [{ path: NETWORKD_VETH_DROPIN, content, mode: 0o644 }], removes: [] };
}
