import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuiltApps } from '../../../../test/support/worker-process';
import { BatchedLines } from './batched-lines';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchedLines', () => {
  it('writes the lines of one turn in one call, in order, once the turn ends', async () => {
    const writes: string[] = [];
    const lines = new BatchedLines({ write: (text: string) => writes.push(text) });
    lines.write('a\n');
    lines.write('b\n');
    lines.write('c\n');
    expect(writes).toEqual([]);
    await turn();
    expect(writes).toEqual(['a\nb\nc\n']);
    lines.write('d\n');
    await turn();
    expect(writes).toEqual(['a\nb\nc\n', 'd\n']);
  });

  it('writes at once when 64 KiB are pending, so a burst never waits in memory', () => {
    const writes: string[] = [];
    const lines = new BatchedLines({ write: (text: string) => writes.push(text) });
    const line = `${'x'.repeat(1023)}\n`;
    for (let i = 0; i < 64; i++) lines.write(line);
    expect(writes).toEqual([line.repeat(64)]);
  });

  const KINDS = ['blocking', 'stream'] as const;
  const module = join(__dirname, '..', '..', '..', '..', 'dist', 'libs', 'platform', 'src', 'logging', 'batched-lines.js');

  it.each(KINDS.flatMap((kind) => [
    [kind, 'process.exit', 'process.exit(3)', 3],
    [kind, 'an uncaught exception', 'throw new Error("boom")', 1],
  ] as const))('%s: loses no line when the process ends by %s in the same turn', (kind, _how, end, code) => {
    ensureBuiltApps();
    const script = `const { batchedStdout } = require(${JSON.stringify(module)}); const out = batchedStdout('${kind}'); out.write('one\\n'); out.write('two\\n'); ${end};`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(code);
    expect(run.stdout).toBe('one\ntwo\n');
  });

  it.each(KINDS)('%s: keeps the logged order in a merged stream when stderr is written after flushLogs, as the loggers and mains do', (kind) => {
    ensureBuiltApps();
    const script = `const { batchedStdout, flushLogs } = require(${JSON.stringify(module)}); const out = batchedStdout('${kind}'); out.write('first\\n'); flushLogs(); process.stderr.write('second\\n'); out.write('third\\n');`;
    const run = spawnSync('sh', ['-c', '"$NODE" -e "$SCRIPT" 2>&1'], { env: { PATH: process.env.PATH ?? '', NODE: process.execPath, SCRIPT: script }, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('first\nsecond\nthird\n');
  });
});
