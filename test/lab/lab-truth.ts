import type { HostTruth } from '../faults/host-truth';
import type { Lab, LabHost } from './lab';
import { OVS_ROWS_COMMAND, parseOvsRows } from './transition/ovs-rows';

/**
 * A lab host's network configuration as the host itself holds it, read behind hostnet's back
 * (nsenter, no SSH): the sha256 of every network file hostnet may write (plus any stray
 * `.hostnet-*` file under /etc), and the running state: IPv4 addresses, routes, links (up/down,
 * master) and every OVS Bridge/Port/Interface row by name. Same shape as the simulated hosts' truth,
 * so the fault matrix judges both with the same code.
 */
const FILES_COMMAND = [
  '{ find /etc/sysconfig /etc/network /etc/netplan /etc/NetworkManager /etc/modprobe.d /etc/modules-load.d /etc/sysctl.d -type f 2>/dev/null',
  'ls -d /etc/modules /sbin/ifup-localovs 2>/dev/null',
  "find /etc -xdev -name '.hostnet-*' 2>/dev/null; } | sort -u | while IFS= read -r f; do printf '%s %s\\n' \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" \"$f\"; done",
].join('; ');

const LIVE_COMMAND = [
  "echo '# addresses'; ip -4 -o addr show | awk '{print $2, $4}' | sort",
  // ifupdown adds `onlink` to a gateway route that network-scripts does not: not a difference
  "echo '# routes'; ip -4 route show | sed 's/ onlink//; s/ *$//' | sort",
  "echo '# links'; ip -o link show | awk '{n=$2; sub(/@.*/, \"\", n); sub(/:$/, \"\", n); m=\"-\"; for (i=1; i<=NF; i++) if ($i == \"master\") m=$(i+1); print n, ($3 ~ /[<,]UP[,>]/ ? \"up\" : \"down\"), m}' | sort",
].join('; ');

const OVS_PRESENT = '[ -S /run/openvswitch/db.sock ] && command -v ovs-vsctl >/dev/null';

export async function readLabTruth(lab: Lab, host: string | LabHost): Promise<HostTruth> {
  const sh = async (command: string) => {
    const r = await lab.hostExec(host, ['sh', '-c', command], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`${command.slice(0, 80)}… on ${typeof host === 'string' ? host : host.name} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const files = new Map(
    (await sh(FILES_COMMAND))
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [hash, path] = [line.slice(0, 64), line.slice(65)];
        return [path, hash] as [string, string];
      }),
  );
  const live = await sh(LIVE_COMMAND);
  const ovsOut = await sh(`if ${OVS_PRESENT}; then ${OVS_ROWS_COMMAND}; fi`);
  const ovs = ovsOut.trim() ? JSON.stringify(parseOvsRows(ovsOut)) : 'no ovs';
  return { files, live: `${live}# ovs\n${ovs}\n` };
}

/** HostTruth as JSON (the lab matrix passes it between processes). */
export interface HostTruthJson {
  files: Record<string, string>;
  live: string;
}

export const truthToJson = (t: HostTruth): HostTruthJson => ({ files: Object.fromEntries(t.files), live: t.live });
export const truthFromJson = (t: HostTruthJson): HostTruth => ({ files: new Map(Object.entries(t.files)), live: t.live });
