import { readFileSync } from 'node:fs';

/** The machine's boot id, as the scripts read it (the real /proc: a simulated host's script reads it there too). */
export const BOOT_ID = ((): string | undefined => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8');
  } catch {
    return undefined;
  }
})();

/** uptime_cs: the time since boot in 1/100 s, from the real /proc/uptime; undefined when it cannot be read. */
export function uptimeCs(): number | undefined {
  try {
    const match = /^(\d+)\.(\d\d) /.exec(readFileSync('/proc/uptime', 'utf8'));
    return match ? Number(match[1]) * 100 + Number(match[2]) : undefined;
  } catch {
    return undefined;
  }
}
