import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from './unified-diff';

const lines = (n: number, at = 1) => Array.from({ length: n }, (_, k) => `line ${k + at}`);
const text = (l: string[]) => (l.length === 0 ? '' : `${l.join('\n')}\n`);

/** GNU diff -u's hunks for the same two texts: the reference format (its own header lines dropped). */
function gnuHunks(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-udiff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    const out = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' }).stdout;
    return out.split('\n').slice(2).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('unifiedDiff: hunks as diff -u prints them', () => {
  const base = lines(48);
  const changed = (edits: Record<number, string | null>, extra: string[] = []) =>
    [...base.flatMap((l, k) => (k in edits ? (edits[k] === null ? [] : [edits[k]!]) : [l])), ...extra];

  it.each([
    ['one line changed in a 48-line file', changed({ 20: 'changed 21' })],
    ['two changes far apart: two hunks', changed({ 2: 'changed 3', 40: 'changed 41' })],
    ['two changes 5 lines apart: one hunk', changed({ 10: 'changed 11', 16: 'changed 17' })],
    ['two changes 6 unchanged lines apart: still one hunk', changed({ 10: 'changed 11', 17: 'changed 18' })],
    ['two changes 7 unchanged lines apart: two hunks', changed({ 10: 'changed 11', 18: 'changed 19' })],
    ['a line removed and lines added at the end', changed({ 0: null }, ['added 1', 'added 2'])],
    ['the first and the last line changed', changed({ 0: 'first', 47: 'last' })],
    ['a 2-line file, one line changed', ['line 1', 'two']],
  ])('%s', (_, after) => {
    const ours = unifiedDiff('/etc/x', text(base), text(after));
    expect(ours.split('\n').slice(0, 2)).toEqual(['--- a/etc/x', '+++ b/etc/x']);
    expect(ours.split('\n').slice(2).join('\n')).toBe(gnuHunks(text(base), text(after)));
  });

  it('a new file and a removed one: the empty side is 0,0', () => {
    expect(unifiedDiff('/etc/new', '', 'a\nb\n')).toBe('--- a/etc/new\n+++ b/etc/new\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('/etc/old', 'a\n', '')).toBe('--- a/etc/old\n+++ b/etc/old\n@@ -1 +0,0 @@\n-a\n');
    expect(unifiedDiff('/etc/one', 'a\n', 'b\n')).toBe(`--- a/etc/one\n+++ b/etc/one\n${gnuHunks('a\n', 'b\n')}`);
  });
});
