import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMON_SNIPPET } from './common.snippet';
import { LINK_OWNERSHIP_SNIPPET } from './restore.script';

describe('restore: a link the run created is removed only when nothing hostnet does not own hangs off it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-link-ownership-'));
  const bin = join(dir, 'bin');

  beforeAll(() => {
    mkdirSync(bin);
    for (const tool of ['grep', 'sed', 'ls']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    // cloudbr9 (made by the run) holds the run's bond0 and a VM's tap that joined it since; cloudbr8 only bond1
    writeFileSync(
      join(bin, 'ip'),
      `#!/bin/sh
case "$*" in
  '-o link show master cloudbr9') printf '%s\\n' '7: bond0: <BROADCAST,MULTICAST,MASTER,UP> mtu 1500 master cloudbr9 state UP' '9: vnet3: <BROADCAST,MULTICAST,UP> mtu 1500 master cloudbr9 state UNKNOWN' ;;
  '-o link show master cloudbr8') echo '8: bond1: <BROADCAST,MULTICAST,MASTER,UP> mtu 1500 master cloudbr8 state UP' ;;
esac
`,
    );
    chmodSync(join(bin, 'ip'), 0o755);
    writeFileSync(join(dir, 'owns'), 'bond0\nbond1\ncloudbr8\ncloudbr9\neth1.100\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (commands: string) =>
    spawnSync('/bin/sh', ['-c', `${COMMON_SNIPPET}${LINK_OWNERSHIP_SNIPPET}\nRUN='${dir}'\n${commands}`], { env: { PATH: bin }, encoding: 'utf8' });

  it("names a VM's tap enslaved to the run's bridge, and nothing when only owned devices are", () => {
    const r = run('foreign_on_link cloudbr9; echo "[$REPLY]"; foreign_on_link cloudbr8; echo "[$REPLY]"');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('[ vnet3]\n[]\n');
  });

  it('matches owned names whole, never as a pattern (eth1.100 does not own eth1x100)', () => {
    expect(run('owned eth1.100 && echo yes; owned eth1x100 || echo no; owned eth1 || echo no').stdout).toBe('yes\nno\nno\n');
  });
});
