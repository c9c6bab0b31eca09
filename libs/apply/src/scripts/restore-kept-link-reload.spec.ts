import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_SCRIPT } from './restore.script';

/**
 * A bridge the run made now carries a VM's tap, so the restore keeps it; the restore's `ifreload -a` (ifupdown2)
 * would ifdown it as gone from the restored files, and ifupdown2 deletes a bridge it takes down. Run for real in a
 * network namespace of its own (needs root); ifreload is a stand-in that logs its words.
 */
describe('restore: ifupdown2 is told to leave a kept link alone', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostnet-kept-reload-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs ifreload -a with -X for each kept link', () => {
    const S = join(root, 'var/lib/hostnet');
    const run = join(S, 'backups/r1');
    const bin = join(root, 'bin');
    mkdirSync(join(run, 'restore-steps'), { recursive: true });
    mkdirSync(bin);
    writeFileSync(join(bin, 'ifreload'), `#!/bin/sh\necho "$*" >> '${root}/ifreload.log'\n`, { mode: 0o755 });
    writeFileSync(join(S, 'state.json'), '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');
    writeFileSync(join(run, 'manifest'), '');
    writeFileSync(join(run, 'journal'), '1 begin s1\n2 step-start ifreload\n3 steps-done\n');
    writeFileSync(join(run, 'owns'), 'cloudbr9\ncloudbr8\n');
    writeFileSync(join(run, 'links'), 'lo\n');
    writeFileSync(join(run, 'restore-steps/01'), 'ifreload\nactivate\nifreload\n-a\n');
    writeFileSync(join(run, 'restore.sh'), RESTORE_SCRIPT);

    const script = `set -e
ip link add cloudbr9 type bridge
ip tuntap add dev vnet3 mode tap
ip link set vnet3 master cloudbr9
ip link add cloudbr8 type bridge
sh '${run}/restore.sh' '${run}' now test
ip -o link show`;
    const r = spawnSync('unshare', ['--net', 'sh', '-c', script], { env: { PATH: `${bin}:${process.env.PATH}`, HOSTNET_ROOT: root }, encoding: 'utf8' });
    expect(r.stderr).toBe('');

    const journal = readFileSync(join(run, 'journal'), 'utf8');
    expect(journal).toMatch(/kept-link cloudbr9 devices vnet3/);
    expect(journal).toMatch(/removed-link cloudbr8/);
    expect(readFileSync(join(root, 'ifreload.log'), 'utf8')).toBe('-a -X cloudbr9\n');
    expect(r.stdout).toMatch(/cloudbr9/);
    expect(journal).toMatch(/restored-step ifreload/);
  });
});
