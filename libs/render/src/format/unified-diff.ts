/** Longest text a dry-run diff carries per file, so a huge file cannot flood a report. */
export const UNIFIED_DIFF_LIMIT = 8000;

/** Unchanged lines shown around each change, as `diff -u` shows them. */
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/**
 * A small line diff (LCS) in unified style, hunks with 3 lines of context as `diff -u` prints them, so a
 * one-line change in a 48-line file reads as one: enough for an operator to read what a dry-run would
 * change. Network config files are short, so O(n·m) is fine.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const out = [`--- a${path}`, `+++ b${path}`];
  for (const hunk of hunks(editScript(a, b))) out.push(hunk.header, ...hunk.ops.map((op) => `${op.kind}${op.line}`));
  const text = `${out.join('\n')}\n`;
  return text.length > UNIFIED_DIFF_LIMIT ? `${text.slice(0, UNIFIED_DIFF_LIMIT)}\n… (diff truncated)\n` : text;
}

function editScript(a: string[], b: string[]): Op[] {
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i++] });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      ops.push({ kind: '-', line: a[i++] });
    } else {
      ops.push({ kind: '+', line: b[j++] });
    }
  }
  return ops;
}

/** The changed runs of `ops` with their context, runs closer than twice the context joined, each with its `@@` header. */
function hunks(ops: Op[]): { header: string; ops: Op[] }[] {
  const changed = ops.flatMap((op, k) => (op.kind === ' ' ? [] : [k]));
  const ranges: [number, number][] = [];
  for (const k of changed) {
    const last = ranges[ranges.length - 1];
    if (last && k - last[1] <= 2 * CONTEXT + 1) last[1] = k;
    else ranges.push([k, k]);
  }
  // line numbers (1-based) in a and b at which each op starts
  const aAt: number[] = [];
  const bAt: number[] = [];
  let an = 1;
  let bn = 1;
  for (const op of ops) {
    aAt.push(an);
    bAt.push(bn);
    if (op.kind !== '+') an++;
    if (op.kind !== '-') bn++;
  }
  return ranges.map(([first, last]) => {
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length - 1, last + CONTEXT);
    const part = ops.slice(from, to + 1);
    const aCount = part.filter((op) => op.kind !== '+').length;
    const bCount = part.filter((op) => op.kind !== '-').length;
    return { header: `@@ -${range(aAt[from], aCount)} +${range(bAt[from], bCount)} @@`, ops: part };
  });
}

/** `start,count` as diff -u writes it: one line is its number alone, an empty side names the line before it. */
function range(start: number, count: number): string {
  if (count === 1) return String(start);
  return `${count === 0 ? start - 1 : start},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
