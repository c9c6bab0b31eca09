/** Where one host's apply went, from its own run journal (`<ms> <event> …` lines), ms. */
export interface JournalSplit {
  /** begin → armed: lock, plan, backups, live snapshot, rollback watcher. */
  prepare: number;
  /** armed → first step: the files written. */
  write: number;
  /** first step → steps-done. */
  steps: number;
  /** steps-done → confirmed: the controller's verify and confirm round trips. */
  confirm: number;
}

/** The split of the journal's one applied run, or undefined when it holds no complete, confirmed run. */
export function journalSplit(journal: string): JournalSplit | undefined {
  const first = new Map<string, number>();
  for (const line of journal.split('\n')) {
    const [ms, event] = line.split(' ');
    if (ms && event && /^\d+$/.test(ms) && !first.has(event)) first.set(event, Number(ms));
  }
  const [begin, armed, done, confirmed] = ['begin', 'armed', 'steps-done', 'confirmed'].map((e) => first.get(e));
  if (begin === undefined || armed === undefined || done === undefined || confirmed === undefined) return undefined;
  const steps = first.get('step-start') ?? done;
  return { prepare: armed - begin, write: steps - armed, steps: done - steps, confirm: confirmed - done };
}

/** Means of the splits, e.g. `prepare 310, write 120, steps 5200, confirm 900 (8 hosts)`. */
export function formatSplits(splits: JournalSplit[]): string {
  if (splits.length === 0) return 'no journal read';
  const keys = Object.keys(splits[0]!) as (keyof JournalSplit)[];
  return `${keys.map((k) => `${k} ${Math.round(splits.reduce((t, s) => t + s[k], 0) / splits.length)}`).join(', ')} (${splits.length} hosts)`;
}
