import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIRM_SCRIPT } from './confirm.script';

/**
 * A confirm whose "confirmed" line cannot reach the journal (a full disk; here an immutable journal, which even root
 * cannot append to) must not leave the run applied: the journal is what the controller and the next run judge by.
 */
describe('confirm writes its journal line before the state it announces', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostnet-confirm-'));
  const S = join(root, 'var/lib/hostnet');
  const journal = join(S, 'backups/r1/journal');
  afterAll(() => {
    spawnSync('chattr', ['-i', journal]);
    rmSync(root, { recursive: true, force: true });
  });

  it('leaves the run armed for its timer when the journal refuses the line', () => {
    mkdirSync(join(S, 'backups/r1'), { recursive: true });
    const armed = '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"9999999999","appliedSpecHash":"s0","updatedAt":"1"}\n';
    writeFileSync(join(S, 'state.json'), armed);
    writeFileSync(journal, '1 begin s1\n2 steps-done\n');
    expect(spawnSync('chattr', ['+i', journal]).status).toBe(0);

    const r = spawnSync('sh', ['-c', CONFIRM_SCRIPT], { input: 'run r1\nspec s1\naction confirm\n', env: { PATH: process.env.PATH, HOSTNET_ROOT: root }, encoding: 'utf8' });

    expect(r.stdout).not.toContain('"confirmed"');
    expect(readFileSync(join(S, 'state.json'), 'utf8')).toContain('"phase":"armed"');
  });
});
