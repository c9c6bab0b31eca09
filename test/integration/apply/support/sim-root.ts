import { readPidFile } from '../../../support/host-files';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostSession } from '@hostnet/ssh';
import { LocalHostSession } from './local-host-session';

const FIXTURES = join(__dirname, '../../../../libs/apply/src/parsers/fixtures');

/** The live state before hostnet: eth0 carries the management IP (derived from the real capture). */
function oldState(): Record<string, unknown> {
  const links = JSON.parse(readFileSync(join(FIXTURES, 'ip-link-bridge-veth.json'), 'utf8')) as Record<string, unknown>[];
  const eth0 = { ...links.find((l) => l.ifname === 'eth0') };
  delete eth0.master;
  return {
    link: [links[0], eth0],
    addr: [{ ifname: 'eth0', addr_info: [{ family: 'inet', local: '192.168.100.20', prefixlen: 24 }] }],
    route: [{ dst: 'default', gateway: '192.168.100.1', dev: 'eth0', flags: [] }],
  };
}

/** The live state after the bridge is up: the real capture with br0 named cloudbr0. */
function newState(): Record<string, unknown> {
  const rename = (text: string): unknown => JSON.parse(text.replace(/"br0"/g, '"cloudbr0"'));
  const links = rename(readFileSync(join(FIXTURES, 'ip-link-bridge-veth.json'), 'utf8')) as Record<string, unknown>[];
  return {
    link: links.filter((l) => l.ifname !== 'eth1'),
    addr: rename(readFileSync(join(FIXTURES, 'ip-addr-bridge-veth.json'), 'utf8')),
    route: rename(readFileSync(join(FIXTURES, 'ip-route-bridge-veth.json'), 'utf8')),
  };
}

const STANDINS: Record<string, string> = {
  // `ip -j ...` prints the current live state kept under .sim/live
  ip: `#!/bin/sh
case "$*" in
  *link*) cat "$HOSTNET_ROOT/.sim/live/link.json" ;;
  *addr*) cat "$HOSTNET_ROOT/.sim/live/addr.json" ;;
  *route*) cat "$HOSTNET_ROOT/.sim/live/route.json" ;;
  *) exit 1 ;;
esac
`,
  // activation: the live state follows what /etc/network/interfaces says (.sim/late: that many seconds later)
  ifup: `#!/bin/sh
echo "ifup $*" >> "$HOSTNET_ROOT/.sim/activations.log"
f="$HOSTNET_ROOT/etc/network/interfaces"
if grep -q cloudbr0 "$f"; then state=new; else state=old; fi
if [ -f "$HOSTNET_ROOT/.sim/late" ]; then
  (sleep "$(cat "$HOSTNET_ROOT/.sim/late")"; cp "$HOSTNET_ROOT"/.sim/states/$state/*.json "$HOSTNET_ROOT/.sim/live/") >/dev/null 2>&1 &
else cp "$HOSTNET_ROOT"/.sim/states/$state/*.json "$HOSTNET_ROOT/.sim/live/"; fi
if grep -q CUT-MGMT "$f"; then touch "$HOSTNET_ROOT/.sim/unreachable"; else rm -f "$HOSTNET_ROOT/.sim/unreachable"; fi
`,
  // an activation whose daemon finishes after the command returns: cloudbr0 comes up $1 seconds later
  'sim-late-up': `#!/bin/sh
echo "sim-late-up $*" >> "$HOSTNET_ROOT/.sim/activations.log"
cp "$HOSTNET_ROOT"/.sim/states/new/addr.json "$HOSTNET_ROOT"/.sim/states/new/route.json "$HOSTNET_ROOT/.sim/live/"
(sleep "$1"; cp "$HOSTNET_ROOT"/.sim/states/new/link.json "$HOSTNET_ROOT/.sim/live/") >/dev/null 2>&1 &
`,
  'sim-fail': `#!/bin/sh
echo "sim-fail $*" >> "$HOSTNET_ROOT/.sim/activations.log"
echo "simulated failure" >&2
exit 3
`,
  ping: `#!/bin/sh
exit 0
`,
  // what \`sysctl -e -p\` of hostnet's bridge drop-in does: each bridge netfilter switch that exists goes to 0
  'sim-nf-off': `#!/bin/sh
for f in "$HOSTNET_ROOT"/proc/sys/net/bridge/bridge-nf-call-*; do [ -f "$f" ] && echo 0 > "$f"; done
exit 0
`,
};

export const OLD_INTERFACES = 'auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n  address 192.168.100.20/24\n  gateway 192.168.100.1\n';

/** A temp HOSTNET_ROOT with os-release, an old interfaces file, stand-in tools and live state. */
export class SimRoot {
  readonly dir = mkdtempSync(join(tmpdir(), 'hostnet-apply-'));
  connects = 0;

  constructor() {
    for (const d of ['etc/network', '.sim/bin', '.sim/live', '.sim/states/old', '.sim/states/new']) mkdirSync(join(this.dir, d), { recursive: true });
    writeFileSync(join(this.dir, 'etc/os-release'), 'NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\n');
    writeFileSync(join(this.dir, 'etc/network/interfaces'), OLD_INTERFACES);
    for (const [name, state] of [['old', oldState()], ['new', newState()]] as const) {
      for (const [key, value] of Object.entries(state)) {
        writeFileSync(join(this.dir, `.sim/states/${name}/${key}.json`), JSON.stringify(value));
      }
    }
    for (const key of ['link', 'addr', 'route']) {
      writeFileSync(join(this.dir, `.sim/live/${key}.json`), readFileSync(join(this.dir, `.sim/states/old/${key}.json`)));
    }
    for (const [name, text] of Object.entries(STANDINS)) {
      writeFileSync(join(this.dir, '.sim/bin', name), text);
      chmodSync(join(this.dir, '.sim/bin', name), 0o755);
    }
  }

  /** Connection factory: refuses while the simulated management path is cut. */
  readonly connect = async (): Promise<HostSession> => {
    this.connects += 1;
    if (existsSync(join(this.dir, '.sim/unreachable'))) throw new Error('connect ECONNREFUSED (simulated: management path cut)');
    return new LocalHostSession(this.dir);
  };

  path(p: string): string {
    return join(this.dir, p);
  }

  read(p: string): string {
    return readFileSync(this.path(p), 'utf8');
  }

  exists(p: string): boolean {
    return existsSync(this.path(p));
  }

  activations(): string[] {
    return this.exists('.sim/activations.log') ? this.read('.sim/activations.log').trim().split('\n') : [];
  }

  state(): Record<string, string> {
    return JSON.parse(this.read('var/lib/hostnet/state.json')) as Record<string, string>;
  }

  /** Stops any rollback timer still sleeping for this root, then deletes it. */
  remove(): void {
    const backups = this.path('var/lib/hostnet/backups');
    if (existsSync(backups)) {
      for (const run of readdirSync(backups)) {
        const pidFile = join(backups, run, 'timer.pid');
        if (!existsSync(pidFile)) continue;
        const pid = readPidFile(pidFile);
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
