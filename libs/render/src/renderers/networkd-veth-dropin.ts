import { isValidInterfaceName } from '@hostnet/intent';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { FilePlan } from '../domain/file-plan';
import type { ApplyStep } from '../domain/rendered-config';
import { vethPairs } from '../format/intent-lookups';
import { textFile } from '../format/text-file';
import { assertIfName } from '../validation/render-guard';

/**
 * Where netplan-linux keeps a relabel's veth pairs across a reboot: a drop-in of systemd-networkd's own
 * unit, so nothing has to be enabled. netplan before 0.107 (Ubuntu 22.04) cannot describe a veth, and
 * networkd must not own the ends either: reconfiguring them on `netplan apply` flapped the pair in the lab
 * (docs/relabel.md). No .network file matches the ends, so networkd leaves them alone, as it does VM taps.
 */
export const NETWORKD_VETH_DROPIN = '/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf';

/** One pair as the drop-in names it: `end` in `bridge` (the old one), `peer` in `peerBridge`. */
export interface DropInPair {
  end: string;
  peer: string;
  bridge: string;
  peerBridge: string;
  mtu?: number;
}

/**
 * Makes one pair once both bridges exist (waiting up to 10 s for networkd to make them), unless it runs
 * already, each end into its bridge and up. `$0` is the drop-in: a copy systemd still holds in memory after
 * the file went (the layout moved on) makes nothing. Names come as arguments, never inside the script.
 */
const MAKE_PAIR = [
  '[ -e "$0" ] || exit 0',
  'n=0; until ip link show dev "$3" >/dev/null 2>&1 && ip link show dev "$4" >/dev/null 2>&1; do n=$((n+1)); [ $n -lt 100 ] || exit 1; sleep 0.1; done',
  'ip link show dev "$1" >/dev/null 2>&1 || if [ -n "$5" ]; then ip link add "$1" mtu "$5" type veth peer name "$2" mtu "$5"; else ip link add "$1" type veth peer name "$2"; fi',
  'ip link set dev "$1" master "$3" up && ip link set dev "$2" master "$4" up',
].join('; ');

const pairArgs = (p: DropInPair): string[] => [
  ...[p.end, p.peer, p.bridge, p.peerBridge].map((n) => assertIfName('links[].ends[]', n)),
  ...(p.mtu === undefined ? [] : [String(p.mtu)]),
];

/**
 * `-` keeps a failure from failing networkd; `+` runs it outside networkd's sandbox (its own user and
 * system-call filter), as root; `$$` is systemd's escape for the shell's `$`.
 */
const execStartPost = (p: DropInPair): string => `ExecStartPost=-+/bin/sh -c '${MAKE_PAIR.replace(/\$/g, '$$$$')}' ${[NETWORKD_VETH_DROPIN, ...pairArgs(p)].join(' ')}`;

/** The drop-in's pairs, read back from a drop-in hostnet wrote (names checked again: it is a file on a host). */
export function dropInPairs(content: string): DropInPair[] {
  return content.split('\n').flatMap((line): DropInPair[] => {
    const words = line.startsWith('ExecStartPost=-+/bin/sh -c ') ? line.slice(line.lastIndexOf("' ") + 2).split(' ') : [];
    const [path, end, peer, bridge, peerBridge, mtu] = words;
    if (path !== NETWORKD_VETH_DROPIN || ![end, peer, bridge, peerBridge].every((n) => n !== undefined && isValidInterfaceName(n))) return [];
    if (mtu !== undefined && !/^[1-9][0-9]{2,4}$/.test(mtu)) return [];
    return [{ end: end!, peer: peer!, bridge: bridge!, peerBridge: peerBridge!, ...(mtu ? { mtu: Number(mtu) } : {}) }];
  });
}

/** The drop-in's command as a step: a restore re-makes the pairs of the drop-in it put back (networkd does only when it starts). */
export const remakePairStep = (p: DropInPair): ApplyStep => ({ name: `remake-${p.end}`, argv: ['sh', '-c', MAKE_PAIR, NETWORKD_VETH_DROPIN, ...pairArgs(p)], phase: 'activate' });

/** The drop-in when the intent has veth pairs; otherwise its removal, so the layout's contract takes it away. */
export function networkdVethDropIn(intent: HostNetworkIntent): FilePlan {
  const pairs = vethPairs(intent).map((p): DropInPair => ({ end: p.name, peer: p.peer, bridge: p.bridge, peerBridge: p.peerBridge, ...(p.mtu === undefined ? {} : { mtu: p.mtu }) }));
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
