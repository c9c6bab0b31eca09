import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU a process has used so far, ms, from /proc/<pid>/stat: its own (user + system) and that of its
 * children that ended and were waited for (a simulated host's commands, for this process).
 */
export function processCpuMs(pid: number | 'self'): { own: number; children: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: the 3rd field (state) is rest[0], utime (14th) is rest[11].
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  return { own: ms(rest[11]! + rest[12]!), children: ms(rest[13]! + rest[14]!) };
}
