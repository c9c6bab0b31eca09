import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LeanHostDir } from './lean-host-dir';
import { LeanDecline } from './lean-live';
import { isWord } from '@hostnet/apply';
import { readLines } from './lean-read-lines';

/** How many runs' directories a confirm keeps (confirm.script.ts: `ls -1t | sed 1,10d`). */
const KEPT_RUNS = 10;

/** confirm.script.ts's `confirm` answer and effects; `rollback` (a restore) goes to the script. */
export function leanConfirm(host: LeanHostDir, stdin: string): { stdout: string; code: number } {
  const [runLine = '', specLine = '', actionLine = ''] = readLines(stdin);
  const value = (line: string, key: string): string | undefined => (line.startsWith(`${key} `) ? line.slice(key.length + 1) : undefined);
  const run = value(runLine, 'run');
  const spec = value(specLine, 'spec');
  if (run === undefined || spec === undefined || !isWord(run) || !isWord(spec) || value(actionLine, 'action') !== 'confirm') {
    throw new LeanDecline('not a confirm the lean host answers');
  }
  const out = (status: string, code: number): { stdout: string; code: number } => ({
    stdout: `{"status":"${status}","runId":"${run}","phase":"${host.state().phase ?? ''}"}\n`,
    code,
  });
  host.touchRunLock();
  const state = host.state();
  if (state.runId === run && state.phase === 'armed') {
    if (!host.journalHas(run, 'steps-done')) return out('incomplete', 0);
    host.journal(run, 'confirmed');
    host.writeState(run, spec, 'applied', state.deadline ?? '', spec);
    pruneRuns(host);
    return out('confirmed', 0);
  }
  if (state.runId === run && state.phase === 'applied') return out('confirmed', 0);
  return out('not-armed', 3);
}

function pruneRuns(host: LeanHostDir): void {
  const backups = join(host.stateDir, 'backups');
  // `ls -1t` lists no dot-entries
  const runs = readdirSync(backups)
    .filter((name) => !name.startsWith('.'))
    .map((name) => ({ name, mtime: statSync(join(backups, name)).mtimeMs }));
  runs.sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const old of runs.slice(KEPT_RUNS)) rmSync(join(backups, old.name), { recursive: true, force: true });
}
