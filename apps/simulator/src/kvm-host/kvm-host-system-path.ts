import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HIDDEN_SYSTEM_TOOLS } from './kvm-host-standins';

const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];
let building: Promise<string> | undefined;

/**
 * A directory of symlinks to this machine's system commands minus the network tools, shared by every
 * simulated host. It replaces /usr/sbin:/usr/bin on the hosts' PATH: the machine has the real netplan,
 * nmcli, ip, ovs-vsctl… installed, and a persona must not see (or run) tools it does not have.
 * Keyed by a hash of the listing, so installing a tool yields a new directory.
 */
export function systemPathDir(): Promise<string> {
  building ??= build().catch((error: unknown) => {
    building = undefined;
    throw error;
  });
  return building;
}

async function build(): Promise<string> {
  const hidden = new Set(HIDDEN_SYSTEM_TOOLS);
  const chosen = new Map<string, string>();
  for (const dir of SYSTEM_DIRS) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.sort()) if (!hidden.has(name) && !chosen.has(name)) chosen.set(name, join(dir, name));
  }
  const key = createHash('sha256').update(JSON.stringify([...chosen])).digest('hex').slice(0, 16);
  const final = join(tmpdir(), `hostnet-sim-path-${process.getuid?.() ?? 0}-${key}`);
  if (existsSync(final)) return final;
  const staging = `${final}.${process.pid}.${Date.now()}`;
  await mkdir(staging, { recursive: true });
  await Promise.all([...chosen].map(([name, target]) => symlink(target, join(staging, name))));
  try {
    await rename(staging, final);
  } catch (error) {
    // Another process (a parallel jest worker) built the same directory first: use theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(final)) throw error;
  }
  return final;
}
