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

/** Stand-in command name → implementation (node scripts get a wrapper; sh scripts are copied as is). */
/** node: a wrapper execs the script with the absolute node; template: a sh file with @NODE@ filled in. */
const CATALOG: Record<string, { file: string; node?: boolean; template?: boolean; passName?: boolean }> = {
  ip: { file: 'ip.sh', template: true },
  ping: { file: 'ping.js', node: true },
  sudo: { file: 'sudo.js', node: true },
  hostname: { file: 'hostname.sh' },
  sysctl: { file: 'sysctl.sh' },
  'ovs-vsctl': { file: 'ovs-vsctl.sh', template: true },
  'ovs-appctl': { file: 'ovs-appctl.js', node: true },
  ifup: { file: 'activation.js', node: true, passName: true },
  ifdown: { file: 'activation.js', node: true, passName: true },
  ifreload: { file: 'activation.js', node: true, passName: true },
  service: { file: 'activation.js', node: true, passName: true },
  systemctl: { file: 'activation.js', node: true, passName: true },
  netplan: { file: 'activation.js', node: true, passName: true },
  nmcli: { file: 'activation.js', node: true, passName: true },
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

/** Copies the stand-in sources to <root>/.sim/lib and writes one executable per tool into <root>/.sim/bin. */
export async function installStandins(rootDir: string, tools: string[]): Promise<void> {
  const lib = join(rootDir, '.sim', 'lib');
  const bin = join(rootDir, '.sim', 'bin');
  await mkdir(lib, { recursive: true });
  await mkdir(bin, { recursive: true });
  for (const file of await readdir(STANDINS_DIR)) await copyFile(join(STANDINS_DIR, file), join(lib, file));
  for (const tool of tools) {
    const entry = CATALOG[tool];
    if (!entry) throw new Error(`unknown simulated tool "${tool}"; known tools: ${STANDIN_TOOLS.join(', ')}`);
    const target = join(bin, tool);
    if (entry.node) {
      const script = join(lib, entry.file);
      // Absolute node path: the host's PATH deliberately has no node on it.
      await writeFile(target, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(script)}${entry.passName ? ` ${shellQuote(tool)}` : ''} "$@"\n`);
    } else if (entry.template) {
      const text = await readFile(join(lib, entry.file), 'utf8');
      await writeFile(target, text.replace(/@NODE@/g, shellQuote(process.execPath)));
    } else {
      await copyFile(join(lib, entry.file), target);
    }
    await chmod(target, 0o755);
  }
}
