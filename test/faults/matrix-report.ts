/** A judged trial as the report needs it: simulated and lab trials alike. */
export interface Judged {
  trial: { fault: string; phase: string; host: { name: string } };
  injected: boolean;
  half: boolean;
  duplicate: boolean;
  lost: boolean;
  wrong: boolean;
  finalPhase?: string;
  evidence: string[];
}

/** Totals over every trial: each counts a trial once per kind of violation it showed. */
export interface MatrixTotals {
  trials: number;
  half: number;
  duplicate: number;
  lost: number;
  wrong: number;
  notInjected: number;
}

export function totals(verdicts: Judged[]): MatrixTotals {
  const count = (f: (v: Judged) => boolean) => verdicts.filter(f).length;
  return {
    trials: verdicts.length,
    half: count((v) => v.half),
    duplicate: count((v) => v.duplicate),
    lost: count((v) => v.lost),
    wrong: count((v) => v.wrong),
    notInjected: count((v) => !v.injected),
  };
}

/** The one closing line `npm run faults` ends with. */
export function closingLine(t: MatrixTotals): string {
  return `faults: ${t.trials} trials, ${t.half} half-applied, ${t.duplicate} duplicate mutations, ${t.lost} lost jobs, ${t.wrong} wrong statuses`;
}

/**
 * The matrix (one row per fault × phase: trials and how many showed each violation), the evidence of
 * the first violating trials of each cell, and the closing line last.
 */
export function formatMatrix(verdicts: Judged[], steps: string[], examplesPerCell = 2): string {
  const cells = new Map<string, Judged[]>();
  for (const v of verdicts) {
    const key = `${v.trial.fault}\0${v.trial.phase}`;
    cells.set(key, [...(cells.get(key) ?? []), v]);
  }
  const header = ['fault', 'phase', 'trials', 'half-applied', 'dup-mutations', 'lost-jobs', 'wrong-status', 'not-injected'];
  const rows = [...cells.values()].map((vs) => {
    const t = totals(vs);
    return [vs[0]!.trial.fault, vs[0]!.trial.phase, ...[t.trials, t.half, t.duplicate, t.lost, t.wrong, t.notInjected].map(String)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const evidence = [...cells.values()].flatMap((vs) =>
    vs
      .filter((v) => v.half || v.duplicate || v.lost || v.wrong || !v.injected)
      .slice(0, examplesPerCell)
      .map((v) => `  ${v.trial.fault}@${v.trial.phase} ${v.trial.host.name} (final ${v.finalPhase ?? 'none'}): ${v.evidence.join(' | ')}`),
  );
  return [
    ...(steps.length > 0 ? [`steps: ${steps.map((s, i) => `step${i + 1} = ${s}`).join('; ')}`] : []),
    ...(evidence.length > 0 ? ['evidence (first trials of each cell with a finding):', ...evidence] : []),
    '',
    line(header),
    ...rows.map(line),
    '',
    closingLine(totals(verdicts)),
  ].join('\n');
}
