import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_SCRIPT } from './restore.script';

/** The journal says only what happened: a file the restore could not put back is a miss, never also "restored". */
describe('restore journals a file it could not put back as missed only', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostnet-restore-miss-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('journals restore-failed and no restored-file, and the run ends incomplete', () => {
    const S = join(root, 'var/lib/hostnet');
    const run = join(S, 'backups/r1');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(S, 'state.json'), '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');
    // the backup of the first file is gone (a disk error); the second is there
    writeFileSync(join(run, 'manifest'), 'saved /etc/network/interfaces\nsaved /etc/hosts.hostnet\n');
    mkdirSync(join(run, 'files/etc'), { recursive: true });
    writeFileSync(join(run, 'files/etc/hosts.hostnet'), 'kept\n');
    writeFileSync(join(run, 'journal'), '1 begin s1\n2 writing /etc/network/interfaces\n3 writing /etc/hosts.hostnet\n');
    writeFileSync(join(run, 'restore.sh'), RESTORE_SCRIPT);

    const r = spawnSync('sh', [join(run, 'restore.sh'), run, 'now', 'test'], { env: { PATH: process.env.PATH, HOSTNET_ROOT: root }, encoding: 'utf8' });
    expect(r.status).toBe(0);

    const journal = readFileSync(join(run, 'journal'), 'utf8');
    expect(journal).toMatch(/restore-failed file \/etc\/network\/interfaces/);
    expect(journal).not.toMatch(/restored-file \/etc\/network\/interfaces/);
    expect(journal).toMatch(/restored-file \/etc\/hosts.hostnet/);
    expect(journal).toMatch(/restore-incomplete/);
    expect(readFileSync(join(root, 'etc/hosts.hostnet'), 'utf8')).toBe('kept\n');
  });
});
