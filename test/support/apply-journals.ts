import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How many applies ever began on a simulated host: the `begin` lines of every run journal the on-host
 * workflow kept under <root>/var/lib/hostnet/backups/<run>/journal (it keeps the newest 10 runs, more
 * than one rollout makes). Only apply.script writes `begin`; a no-op run writes no journal.
 */
export function applyBegins(rootDir: string): number {
  const backups = join(rootDir, 'var', 'lib', 'hostnet', 'backups');
  if (!existsSync(backups)) return 0;
  return readdirSync(backups).reduce((sum, run) => {
    const journal = join(backups, run, 'journal');
    return sum + (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((l) => /^\d+ begin( |$)/.test(l)).length : 0);
  }, 0);
}
