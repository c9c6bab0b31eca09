import type { LiveState } from '@hostnet/intent/domain/live-state';

/** The host's NICs as another owner's config binds to them: by MAC or by a name pattern. */
export interface LiveNics {
  /** By the permanent MAC where facts read it (NetworkManager's ethernet.mac-address, netplan 0.106 on). */
  withMac(mac: string): string[];
  /** By the permanent MAC or the current one: netplan before 0.106 matches the current (a bond port's is its bond's), and which netplan runs is not known. */
  withMacNowOrPermanent(mac: string): string[];
  matching(glob: string): string[];
}

/** `52-54-00-AA-00-01` and `52:54:00:aa:00:01` alike (cloud-init writes NetworkManager's upper case). */
export const normalMac = (mac: string): string => mac.trim().toLowerCase().replace(/-/g, ':');

/** Without a live state (an offline render) no MAC or pattern resolves: nothing is bound by them. */
export function liveNics(live: LiveState | undefined): LiveNics {
  const nics = (live?.links ?? []).filter((l) => l.kind === 'nic').map((l) => l.name);
  const macs = live?.macs ?? {};
  const current = live?.currentMacs ?? {};
  return {
    withMac: (mac) => nics.filter((n) => macs[n] === normalMac(mac)).sort(),
    withMacNowOrPermanent: (mac) => nics.filter((n) => macs[n] === normalMac(mac) || current[n] === normalMac(mac)).sort(),
    matching: (glob) => {
      const pattern = globPattern(glob);
      return nics.filter((n) => pattern.test(n)).sort();
    },
  };
}

/** A shell glob (netplan's `match: name`, fnmatch): `*`, `?` and `[…]` (`[!…]` negated); everything else literal. */
function globPattern(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    const close = c === '[' ? glob.indexOf(']', i + 2) : -1;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (close > 0) {
      const body = glob.slice(i + 1, close);
      source += `[${body.startsWith('!') ? `^${escapeClass(body.slice(1))}` : escapeClass(body)}]`;
      i = close;
    } else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const escapeClass = (body: string): string => body.replace(/[\\\]^]/g, '\\$&');
