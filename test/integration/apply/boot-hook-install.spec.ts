import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeApplyPayload } from '@hostnet/apply';
import { HOST_SCRIPT_COMMANDS } from '../../../libs/apply/src/scripts/host-script-commands';
import { BOOT_RECOVER_UNIT, BOOT_RESUME_UNIT } from '../../../libs/apply/src/scripts/recover.snippet';
import { RUN_SCRIPTS } from '../../../libs/apply/src/scripts/run-scripts';

/**
 * What the apply installs as the boot hook on a real host (HOSTNET_ROOT empty), run for real in private
 * namespaces (mount, pid, net; needs root): /etc/systemd/system, /etc/cron.d and /var/lib are this test's
 * directories, PID 1 is a shell named `systemd` (or `init`), and systemctl (which enables a unit the way
 * systemd does, by its WantedBy= link), systemd-run and sync are stand-ins that log their calls.
 */
const RECOVER_SH = RUN_SCRIPTS.find((s) => s.name === 'recover.sh')!.content;
const OLD_CRON = '@reboot root /bin/sh /var/lib/hostnet/recover.sh\n';

const STANDINS: Record<string, string> = {
  systemctl: `#!/bin/sh
echo "$*" >> "$T/log/systemctl"
if [ "$1 $2" = "is-enabled -q" ]; then
  w=$(sed -n 's/^WantedBy=//p' "/etc/systemd/system/$3" 2>/dev/null)
  [ -n "$w" ] && [ -L "/etc/systemd/system/$w.wants/$3" ]
  exit
fi
[ "$1" = enable ] || exit 0
shift
for u in "$@"; do
  w=$(sed -n 's/^WantedBy=//p' "/etc/systemd/system/$u")
  mkdir -p "/etc/systemd/system/$w.wants" && ln -sf "/etc/systemd/system/$u" "/etc/systemd/system/$w.wants/$u"
done
`,
  'systemd-run': '#!/bin/sh\nexit 1\n',
  'ovs-vsctl': '#!/bin/sh\nexit 1\n',
  sync: '#!/bin/sh\necho "$*" >> "$T/log/sync"\nexec /bin/sync "$@"\n',
};

describe('the boot hook the apply installs on a real host', () => {
  let t: string;
  const at = (p: string) => join(t, p);
  const read = (p: string) => readFileSync(at(p), 'utf8');
  const lines = (p: string) => (existsSync(at(p)) ? read(p).trim().split('\n') : []);
  const enables = () => lines('log/systemctl').filter((l) => l.startsWith('enable '));

  beforeEach(() => {
    t = mkdtempSync(join(tmpdir(), 'hostnet-hook-'));
    for (const d of ['units', 'cron', 'varlib', 'bin', 'pid1', 'log']) mkdirSync(at(d));
    for (const [name, text] of Object.entries(STANDINS)) writeFileSync(at(`bin/${name}`), text, { mode: 0o755 });
    writeFileSync(at('apply.cmd'), HOST_SCRIPT_COMMANDS.apply);
  });
  afterEach(() => rmSync(t, { recursive: true, force: true }));

  /** Runs the apply (after PREPARE, a shell line) in the namespaces, PID 1 named PID1; its answer. */
  const apply = (pid1: 'systemd' | 'init', runId: string, seen: { runId: string; phase: string } | null, prepare = 'true') => {
    copyFileSync('/bin/sh', at(`pid1/${pid1}`));
    writeFileSync(
      at('payload'),
      encodeApplyPayload({
        runId,
        specHash: 'spec0',
        rollbackSeconds: 60,
        stepTimeoutSeconds: 10,
        seen,
        files: [{ path: '/var/lib/hostnet/hook-test', content: `${runId}\n`, mode: 0o644 }],
        removes: [],
        steps: [],
        restoreSteps: [],
      }),
    );
    const boot = `set -e
mount --bind "$T/units" /etc/systemd/system
mount --bind "$T/cron" /etc/cron.d
mount --bind "$T/varlib" /var/lib
export PATH="$T/bin:$PATH"
${prepare}
sh -c "$(cat "$T/apply.cmd")" < "$T/payload"`;
    const out = execFileSync('unshare', ['--mount', '--pid', '--net', '--fork', '--mount-proc', at(`pid1/${pid1}`), '-c', boot], {
      env: { T: t, PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').pop()!) as Record<string, unknown>;
  };

  it('systemd: both units, enabled, and recover.sh, on disk before the first file is written; a later run leaves them be', () => {
    expect(apply('systemd', 'hook-1', null)).toMatchObject({ status: 'armed' });

    expect(read('units/hostnet-recover.service')).toBe(BOOT_RECOVER_UNIT);
    expect(read('units/hostnet-resume.service')).toBe(BOOT_RESUME_UNIT);
    expect(readlinkSync(at('units/sysinit.target.wants/hostnet-recover.service'))).toBe('/etc/systemd/system/hostnet-recover.service');
    expect(readlinkSync(at('units/multi-user.target.wants/hostnet-resume.service'))).toBe('/etc/systemd/system/hostnet-resume.service');
    expect(read('varlib/hostnet/recover.sh')).toBe(RECOVER_SH);
    expect(enables()).toEqual(['enable hostnet-recover.service', 'enable hostnet-resume.service']);
    const syncs = lines('log/sync');
    const hook = syncs.findIndex((l) => l.startsWith('/var/lib/hostnet/recover.sh '));
    expect(syncs[hook]!.split(' ')).toEqual([
      '/var/lib/hostnet/recover.sh',
      '/var/lib/hostnet',
      '/etc/systemd/system',
      '/etc/systemd/system/hostnet-recover.service',
      '/etc/systemd/system/hostnet-resume.service',
      '/etc/systemd/system/sysinit.target.wants',
      '/etc/systemd/system/multi-user.target.wants',
    ]);
    expect(hook).toBeLessThan(syncs.findIndex((l) => l.includes('/var/lib/hostnet/.hostnet-hook-1.tmp')));
    // …and so is everything the run's restore reads, restore.sh first among them (a power loss after the first
    // write must find a whole restore at boot)
    const run = '/var/lib/hostnet/backups/hook-1';
    const armed = syncs.findIndex((l) => l.split(' ').includes(`${run}/restore.sh`));
    expect(armed).toBeGreaterThanOrEqual(0);
    expect(syncs[armed]!.split(' ')).toEqual(expect.arrayContaining([`${run}/manifest`, `${run}/journal`, `${run}/owns`, `${run}/step-timeout`, run]));
    expect(armed).toBeLessThan(syncs.findIndex((l) => l.includes('/var/lib/hostnet/.hostnet-hook-1.tmp')));

    // the next run (the first rolled back) finds them as it would write them: nothing enabled again
    const rollBack = 'sh /var/lib/hostnet/backups/hook-1/restore.sh /var/lib/hostnet/backups/hook-1 now test > /dev/null';
    expect(apply('systemd', 'hook-2', { runId: 'hook-1', phase: 'rolled-back' }, rollBack)).toMatchObject({ status: 'armed' });
    expect(enables()).toHaveLength(2);

    // an operator disabled one (or an enable failed once): the next run enables it again
    unlinkSync(at('units/multi-user.target.wants/hostnet-resume.service'));
    const rollBack2 = 'sh /var/lib/hostnet/backups/hook-2/restore.sh /var/lib/hostnet/backups/hook-2 now test > /dev/null';
    expect(apply('systemd', 'hook-3', { runId: 'hook-2', phase: 'rolled-back' }, rollBack2)).toMatchObject({ status: 'armed' });
    expect(enables()).toEqual(['enable hostnet-recover.service', 'enable hostnet-resume.service', 'enable hostnet-resume.service']);
  });

  it('systemd, a host an older hostnet hooked: the resume unit is added and enabled, the boot unit left as it is', () => {
    writeFileSync(at('units/hostnet-recover.service'), BOOT_RECOVER_UNIT);
    mkdirSync(at('units/sysinit.target.wants'));
    symlinkSync('/etc/systemd/system/hostnet-recover.service', at('units/sysinit.target.wants/hostnet-recover.service'));

    expect(apply('systemd', 'hook-1', null)).toMatchObject({ status: 'armed' });

    expect(enables()).toEqual(['enable hostnet-resume.service']);
    expect(read('units/hostnet-resume.service')).toBe(BOOT_RESUME_UNIT);
    expect(readlinkSync(at('units/multi-user.target.wants/hostnet-resume.service'))).toBe('/etc/systemd/system/hostnet-resume.service');
  });

  it('systemd: a unit that cannot be enabled stops the run before its first write, naming the unit', () => {
    writeFileSync(at('bin/systemctl'), '#!/bin/sh\necho "$*" >> "$T/log/systemctl"\nexit 1\n', { mode: 0o755 });

    expect(apply('systemd', 'hook-1', null)).toMatchObject({ status: 'failed', failed: 'boot-hook hostnet-recover.service not enabled (systemctl enable hostnet-recover.service failed)', phase: 'rolled-back' });

    expect(existsSync(at('varlib/hostnet/hook-test'))).toBe(false);
    expect(read('varlib/hostnet/backups/hook-1/journal')).toMatch(/ failed boot-hook hostnet-recover.service not enabled/);
  });

  it('systemd: the rollback timer and both boot units leave the processes a restore started (dhclient) running', () => {
    writeFileSync(at('bin/systemd-run'), '#!/bin/sh\necho "$*" >> "$T/log/systemd-run"\n', { mode: 0o755 });

    expect(apply('systemd', 'hook-1', null)).toMatchObject({ status: 'armed', mechanism: 'systemd-run' });

    expect(lines('log/systemd-run')[0]).toContain('-p KillMode=process /bin/sh /var/lib/hostnet/backups/hook-1/restore.sh');
    for (const unit of ['units/hostnet-recover.service', 'units/hostnet-resume.service']) expect(read(unit)).toMatch(/^\[Service\][^[]*^KillMode=process$/m);
  });

  it('no systemd: cron @reboot runs recover.sh cron (an older line is replaced), synced before the first file is written', () => {
    writeFileSync(at('cron/hostnet-recover'), OLD_CRON);

    expect(apply('init', 'hook-1', null)).toMatchObject({ status: 'armed' });

    expect(read('cron/hostnet-recover')).toBe('@reboot root /bin/sh /var/lib/hostnet/recover.sh cron\n');
    expect(read('varlib/hostnet/recover.sh')).toBe(RECOVER_SH);
    expect(lines('log/systemctl')).toEqual([]);
    const syncs = lines('log/sync');
    const hook = syncs.indexOf('/var/lib/hostnet/recover.sh /var/lib/hostnet /etc/cron.d /etc/cron.d/hostnet-recover');
    expect(hook).toBeGreaterThanOrEqual(0);
    expect(hook).toBeLessThan(syncs.findIndex((l) => l.includes('/var/lib/hostnet/.hostnet-hook-1.tmp')));
    expect(existsSync(at('units/hostnet-resume.service'))).toBe(false);
  });
});
