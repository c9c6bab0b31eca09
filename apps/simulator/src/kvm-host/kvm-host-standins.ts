import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '@hostnet/ssh';

/**
 * Where the stand-in sources live (copied into every host's .sim/lib at start). They are plain .js/.sh
 * files, which tsc does not copy to dist: a build must copy this folder as an asset; the source tree is
 * the fallback.
 */
export const STANDINS_DIR = [join(__dirname, 'standins'), join(process.cwd(), 'apps/simulator/src/kvm-host/standins')].find((dir) =>
  existsSync(join(dir, 'sim-state.js')),
) ?? join(__dirname, 'standins');

/**
 * Stand-in command name → how its executable is made: `server` tools are client.bash (asking the
 * process's stand-in server, see kvm-host-standin.server.ts), behind an sh `prelude` that answers cached
 * queries with a `cat` when there is one; sh scripts are copied as is.
 */
const CATALOG: Record<string, { file?: string; server?: boolean; prelude?: string; finish?: string }> = {
  ip: { server: true, prelude: 'ip-cache.sh' },
  ping: { server: true },
  sudo: { server: true, finish: 'sudo-finish.bash' },
  hostname: { file: 'hostname.sh' },
  sysctl: { file: 'sysctl.sh' },
  'ovs-vsctl': { server: true, prelude: 'ovs-vsctl-cache.sh' },
  'ovs-appctl': { server: true },
  ifup: { server: true },
  ifdown: { server: true },
  ifreload: { server: true },
  service: { server: true },
  systemctl: { server: true },
  netplan: { server: true },
  nmcli: { server: true },
};

/** Every command the simulator can stand in for. */
export const STANDIN_TOOLS = Object.keys(CATALOG);

/** Names the shared system PATH must hide so only the persona's stand-ins answer `command -v`. */
export const HIDDEN_SYSTEM_TOOLS = [
  ...STANDIN_TOOLS,
  'ovs-ofctl', 'ovs-dpctl', 'ovsdb-client', 'ovsdb-tool', 'ovs-vswitchd', 'ovsdb-server', 'ifquery', 'nmtui', 'nm-online',
  'NetworkManager', 'networkctl', 'ping4', 'ping6', 'brctl', 'bridge', 'tc', 'ethtool', 'dhclient', 'ifconfig', 'route',
  'arp', 'vconfig', 'iptables', 'ip6tables', 'nft', 'sysctl', 'hostnamectl', 'reboot', 'shutdown', 'halt', 'poweroff',
  'init', 'telinit', 'modprobe', 'insmod', 'rmmod', 'mount', 'umount', 'swapoff', 'ip6tables-restore', 'iptables-restore',
  'teamd', 'dhcpcd', 'wpa_supplicant', 'rtmon', 'nstat', 'ss', 'resolvectl',
];

/**
 * Copies the stand-in sources to <root>/.sim/lib (they still run as node scripts: `node .sim/lib/ip.js …`)
 * and writes one executable per tool into <root>/.sim/bin.
 */
export async function installStandins(rootDir: string, tools: string[], server: { port: number; token: string }): Promise<void> {
  const lib = join(rootDir, '.sim', 'lib');
  const bin = join(rootDir, '.sim', 'bin');
  await mkdir(lib, { recursive: true });
  await mkdir(bin, { recursive: true });
  for (const file of await readdir(STANDINS_DIR)) await copyFile(join(STANDINS_DIR, file), join(lib, file));
  const source = (file: string): Promise<string> => readFile(join(STANDINS_DIR, file), 'utf8');
  const client = await source('client.bash');
  for (const tool of tools) {
    const entry = CATALOG[tool];
    if (!entry) throw new Error(`unknown simulated tool "${tool}"; known tools: ${STANDIN_TOOLS.join(', ')}`);
    const target = join(bin, tool);
    if (entry.server) {
      const fill: Record<string, string> = {
        '@FINISH@': (await source(entry.finish ?? 'client-finish.bash')).trimEnd(),
        '@PORT@': String(server.port),
        '@TOKEN@': server.token,
        '@SIM@': shellQuote(join(rootDir, '.sim')),
        '@TOOL@': tool,
      };
      // The fragment first, then the values: a value never gets substituted into.
      const text = client.replace(/@FINISH@/g, (key) => fill[key] as string).replace(/@PORT@|@TOKEN@|@SIM@|@TOOL@/g, (key) => fill[key] as string);
      if (entry.prelude) {
        // A cached answer costs sh + cat (bash starts slower than dash); the rest goes on to the client.
        const clientFile = join(lib, `client-${tool}.bash`);
        await writeFile(clientFile, text);
        await chmod(clientFile, 0o755);
        await writeFile(target, `#!/bin/sh\n${(await source(entry.prelude)).trimEnd()}\nexec /bin/bash ${shellQuote(clientFile)} "$@"\n`);
      } else {
        await writeFile(target, text);
      }
    } else {
      await copyFile(join(lib, entry.file as string), target);
    }
    await chmod(target, 0o755);
  }
}
