import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_SCRIPT } from './restore.script';

/**
 * Which kept links the restore takes from NetworkManager for its reload: only those it manages. A bridge another
 * daemon made (ifupdown, networkd) or one NetworkManager leaves alone is never set managed. In a network namespace of
 * its own (needs root); nmcli is a stand-in that logs its words and answers each device's state.
 */
describe('restore: kept links and NetworkManager', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostnet-kept-nm-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('hands back only the links NetworkManager managed; leaves an unmanaged one alone', () => {
    const S = join(root, 'var/lib/hostnet');
    const run = join(S, 'backups/r1');
    const bin = join(root, 'bin');
    mkdirSync(join(run, 'restore-steps'), { recursive: true });
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'nmcli'),
      `#!/bin/sh\necho "$*" >> '${root}/nmcli.log'\ncase "$*" in\n  '-g GENERAL.STATE device show cloudbr9') echo '100 (connected)' ;;\n  '-g GENERAL.STATE device show cloudbr8') echo '10 (unmanaged)' ;;\nesac\n`,
      { mode: 0o755 },
    );
    writeFileSync(join(S, 'state.json'), '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');
    writeFileSync(join(run, 'manifest'), '');
    writeFileSync(join(run, 'journal'), '1 begin s1\n2 step-start nmcli-reload\n3 steps-done\n');
    writeFileSync(join(run, 'owns'), 'cloudbr9\ncloudbr8\n');
    writeFileSync(join(run, 'links'), 'lo\n');
    writeFileSync(join(run, 'restore-steps/01'), 'nmcli-reload\nactivate\nnmcli\nconnection\nreload\n');
    writeFileSync(join(run, 'restore.sh'), RESTORE_SCRIPT);

    const script = `set -e
for b in cloudbr9 cloudbr8; do ip link add $b type bridge; ip tuntap add dev vnet-$b mode tap; ip link set vnet-$b master $b; done
sh '${run}/restore.sh' '${run}' now test`;
    const r = spawnSync('unshare', ['--net', 'sh', '-c', script], { env: { PATH: `${bin}:${process.env.PATH}`, HOSTNET_ROOT: root }, encoding: 'utf8' });
    expect(r.stderr).toBe('');

    const calls = readFileSync(join(root, 'nmcli.log'), 'utf8').trim().split('\n');
    expect(calls.filter((c) => c.startsWith('device set'))).toEqual(['device set cloudbr9 managed no', 'device set cloudbr9 managed yes']);
    expect(calls.indexOf('connection reload')).toBeGreaterThan(calls.indexOf('device set cloudbr9 managed no'));
    expect(calls.indexOf('connection reload')).toBeLessThan(calls.indexOf('device set cloudbr9 managed yes'));
    expect(readFileSync(join(run, 'journal'), 'utf8')).toMatch(/kept-link cloudbr8 devices vnet-cloudbr8/);
  });
});
