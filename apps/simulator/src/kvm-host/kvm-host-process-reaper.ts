import { readdir, readFile } from 'node:fs/promises';

/**
 * Kills every process carrying `HOSTNET_SIM_HOST_ID=<id>` in its environment: all commands a simulated
 * host ran, including detached ones (setsid, nohup, `&`) that outlived their SSH channel. A process that
 * scrubs its environment (env -i) escapes; on-host scripts do not do that.
 */
export function killHostProcesses(hostId: string): Promise<number> {
  return killProcessesWithEnv(`HOSTNET_SIM_HOST_ID=${hostId}`);
}

/** Kills every process whose environment holds exactly `entry` (`NAME=value`); returns how many. */
export async function killProcessesWithEnv(entry: string): Promise<number> {
  const marker = Buffer.from(`\0${entry}\0`);
  let killed = 0;
  for (let round = 0; round < 10; round += 1) {
    const pids = await findPids(marker);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed += 1;
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return killed;
}

/** Pids of every process whose environment holds exactly `entry` (`NAME=value`). */
export function processesWithEnv(entry: string): Promise<number[]> {
  return findPids(Buffer.from(`\0${entry}\0`));
}

async function findPids(marker: Buffer): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from([0]), await readFile(`/proc/${pid}/environ`), Buffer.from([0])]);
      if (environ.includes(marker)) pids.push(pid);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return pids;
}
