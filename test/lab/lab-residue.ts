import { readdirSync, readFileSync } from 'node:fs';
import { runChecked } from './lab-process';

/** What a lab left on the machine after lab-down; every list empty means nothing was left behind. */
export interface LabResidue {
  namespaces: string[];
  /** "pid: cmdline" of processes still in a lab namespace or naming the state dir. */
  processes: string[];
  /** "pid: mount line" of mounts of the state dir in ANY mount namespace on the machine. */
  mounts: string[];
}

/** Scans the whole machine (every process's mount table, every command line) for leftovers of a lab. */
export async function findLabResidue(prefix: string, stateDir: string): Promise<LabResidue> {
  const list = await runChecked(['ip', 'netns', 'list']);
  const namespaces = list.stdout
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(prefix));
  const processes: string[] = [];
  const mounts: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const cmdline = readProc(`/proc/${pid}/cmdline`).split('\0').join(' ');
    if (cmdline.includes(stateDir)) processes.push(`${pid}: ${cmdline}`);
    for (const line of readProc(`/proc/${pid}/mountinfo`).split('\n')) {
      if (line.includes(stateDir) || line.includes(`hnlab-${prefix}h`)) mounts.push(`${pid}: ${line}`);
    }
  }
  return { namespaces, processes, mounts };
}

function readProc(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process exited while we looked
  }
}
