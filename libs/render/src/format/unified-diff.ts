/** Longest text a dry-run diff carries per file, so a huge file cannot flood a report. */
export const UNIFIED_DIFF_LIMIT = 8000;

/**
 * A small line diff (LCS, whole-file hunk) in unified style: enough for an operator to read what a
 * dry-run would change. Network config files are short, so O(n·m) is fine.
 */
export function unifiedDiff(path: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [`--- a${path}`, `+++ b${path}`, `@@ -1,${a.length} +1,${b.length} @@`];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(` ${a[i++]}`);
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`-${a[i++]}`);
    } else {
      out.push(`+${b[j++]}`);
    }
  }
  const text = `${out.join('\n')}\n`;
  return text.length > UNIFIED_DIFF_LIMIT ? `${text.slice(0, UNIFIED_DIFF_LIMIT)}\n… (diff truncated)\n` : text;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
