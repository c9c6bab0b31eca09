import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMON_SNIPPET } from './common.snippet';

/** /dev/full stands in for a full disk: every write to it fails with ENOSPC. */
describe('on a full disk the journal and state.json fail loudly and are never torn', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-full-disk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sh = (commands: string, vars: string) => spawnSync('/bin/sh', ['-c', `${COMMON_SNIPPET}\n${vars}\n${commands}`], { encoding: 'utf8' });

  it('write_state fails and leaves the state.json it could not replace as it was', () => {
    const state = join(dir, 'state');
    mkdirSync(state);
    const before = '{"runId":"r0","specHash":"s0","phase":"applied","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n';
    writeFileSync(join(state, 'state.json'), before);
    symlinkSync('/dev/full', join(state, 'state.json.tmp'));
    const r = sh('write_state r1 s1 armed 123 s0; echo "status $?"', `S='${state}'`);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('status 1');
    expect(readFileSync(join(state, 'state.json'), 'utf8')).toBe(before);
  });

  it('journal fails when its line cannot be written, so the effect it announces is not made', () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    symlinkSync('/dev/full', join(run, 'journal'));
    expect(sh('journal writing /etc/network/interfaces; echo "status $?"', `RUN='${run}'`).stdout.trim().split('\n').at(-1)).toBe('status 1');
  });
});
