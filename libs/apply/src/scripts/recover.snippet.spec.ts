import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BOOT_RECOVER_SCRIPT } from './recover.snippet';

describe('boot recover script', () => {
  it("gives the restore it starts the sbin directories even when started with cron's PATH (/usr/bin:/bin)", () => {
    const root = mkdtempSync(join(tmpdir(), 'hostnet-recover-'));
    try {
      // nothing is armed under this root: the script only sets itself up, then the probe prints what a restore would see
      const r = spawnSync('sh', ['-c', `${BOOT_RECOVER_SCRIPT}sh -c 'echo "$PATH"'\n`], { env: { PATH: '/usr/bin:/bin', HOSTNET_ROOT: root }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split(':')).toEqual(['/usr/bin', '/bin', '/usr/local/sbin', '/usr/sbin', '/sbin']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
