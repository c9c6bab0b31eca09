import type { HostTruth } from '../../faults/host-truth';
import { Lab } from '../lab';
import { installedBootHook, killHostProcesses, runBootHook, type BootHook } from '../lab-power';
import { readLabTruth } from '../lab-truth';
import { labProfilesYaml } from './lab-profiles';
import { startLabPipeline } from './lab-run.client';

/**
 * A reboot while a run is armed, on a real lab host (CentOS 7, OVS): the pipeline applies a config
 * that takes the host off its management network (NICs swapped in the profile) with a 10-minute
 * rollback window, so nothing can verify or confirm it; then the worker dies, and the "reboot" kills
 * the rollback timer and every other process on the host. The run must stay armed (nothing else
 * ends it), and the boot hook the apply installed, run as its init system runs it, must put the
 * files and the live state back byte for byte and record why. A second run, rebooted with the host's
 * ovsdb-server and ovs-vswitchd down as at boot: the hook's boot restore defers what needs them, and the
 * same hook finishes once they are up (OVS from the run's database), with no contact from anyone.
 * HOSTNET_LAB_PREFIX / HOSTNET_LAB_STATE run it beside another lab of the same spec.
 */
const PREFIX = process.env.HOSTNET_LAB_PREFIX ?? 'hnfb';
const stateDir = process.env.HOSTNET_LAB_STATE ?? `/run/hostnet-lab-boot-${process.pid}`;
const NAME = `${PREFIX}h01`;

describe('lab: the boot hook restores a run a reboot left armed', () => {
  let lab: Lab;
  let before: HostTruth;
  let hook: BootHook | undefined;
  let killed: string[] = [];
  const sh = async (command: string): Promise<string> => {
    const r = await lab.hostExec(NAME, ['sh', '-c', command]);
    if (r.code !== 0) throw new Error(`${command} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const phase = async () => /"phase":"([^"]*)"/.exec(await sh('cat /var/lib/hostnet/state.json 2>/dev/null || true'))?.[1];
  const journal = () => sh('cat /var/lib/hostnet/backups/*/journal 2>/dev/null || true');

  beforeAll(async () => {
    lab = await Lab.up({ hosts: 1, personas: ['centos7'], ovs: ['ovs'], stateDir, prefix: PREFIX });
    before = await readLabTruth(lab, NAME);
    await armSwappedRun();
    killed = await killHostProcesses(lab, NAME);
    hook = await installedBootHook(lab, NAME);
  }, 60_000);

  /** The pipeline applies the swapped profile and dies once the host's journal says steps-done: armed, unconfirmable. */
  const armSwappedRun = async () => {
    const done = async () => (await journal()).split('\n').filter((l) => / steps-done /.test(l)).length;
    const already = await done();
    const pipeline = startLabPipeline(lab, { profilesYaml: labProfilesYaml({ [NAME]: 'ovs-swapped' }), rollbackSeconds: 600, timeoutMs: 120_000 });
    try {
      const deadline = Date.now() + 40_000;
      while ((await done()) === already) {
        if (Date.now() > deadline) throw new Error(`no steps-done in the host's journal within 40 s:\n${await journal()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      pipeline.kill();
      await pipeline.exited;
    }
  };
  const lastRunJournal = async () => {
    const run = /"runId":"([^"]*)"/.exec(await sh('cat /var/lib/hostnet/state.json'))?.[1];
    return (await sh(`cat /var/lib/hostnet/backups/${run}/journal`)).trim().split('\n').map((l) => l.replace(/^\d+ /, ''));
  };
  const labOvs = (action: 'start' | 'stop') => sh(`. /run/lab/host.env && "$LABBIN/lab-ovs" ${action}`);

  afterAll(async () => {
    await lab?.down();
  }, 60_000);

  it('the reboot killed the rollback timer, and the run stays armed with nothing left to end it', async () => {
    expect(killed).toEqual(expect.arrayContaining([expect.stringMatching(/restore\.sh \S+ watch timer/)]));
    expect(await phase()).toBe('armed');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await phase()).toBe('armed');
    expect(await readLabTruth(lab, NAME)).not.toEqual(before);
  });

  it('the apply installed a boot hook (cron @reboot here: PID 1 is not systemd) that runs recover.sh', () => {
    expect(hook).toEqual({ via: 'cron', file: '/etc/cron.d/hostnet-recover', command: '/bin/sh /var/lib/hostnet/recover.sh cron' });
  });

  it('the boot hook, run with only the environment cron gives it, puts files and live state back byte for byte', async () => {
    const boot = await runBootHook(lab, NAME, hook!);
    expect(boot).toMatchObject({ code: 0 });
    const after = await readLabTruth(lab, NAME);
    expect(after.live).toBe(before.live);
    expect(Object.fromEntries(after.files)).toEqual(Object.fromEntries(before.files));
    expect(await phase()).toBe('rolled-back');
    const lines = (await journal()).trim().split('\n').map((l) => l.replace(/^\d+ /, ''));
    expect(lines).toContain('restore-start boot reboot');
    expect(lines.filter((l) => /^restore-failed|^restore-incomplete/.test(l))).toEqual([]);
    expect(lines.at(-1)).toBe('restored');
    expect((await lab.sshExec(NAME, 'hostname')).stdout.trim()).toBe(NAME);
  }, 30_000);

  it('with OVS down at boot the hook defers, then finishes on its own once OVS is up: files and live state as before', async () => {
    await armSwappedRun();
    await killHostProcesses(lab, NAME);
    expect(await phase()).toBe('armed');
    await labOvs('stop');
    let restarted = false;
    try {
      const boot = runBootHook(lab, NAME, hook!);
      // the boot restore finds no database; the hook waits for it without restoring again
      const deadline = Date.now() + 60_000;
      while (!(await lastRunJournal()).includes('restore-deferred')) {
        if (Date.now() > deadline) throw new Error(`the hook did not defer:\n${(await lastRunJournal()).join('\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const deferred = await lastRunJournal();
      await new Promise((r) => setTimeout(r, 3_000));
      expect(await lastRunJournal()).toEqual(deferred);
      expect(await phase()).toBe('rolling-back');
      await labOvs('start');
      restarted = true;
      expect(await boot).toMatchObject({ code: 0 });
    } finally {
      if (!restarted) await labOvs('start');
    }
    const after = await readLabTruth(lab, NAME);
    expect(after.live).toBe(before.live);
    expect(Object.fromEntries(after.files)).toEqual(Object.fromEntries(before.files));
    expect(await phase()).toBe('rolled-back');
    const lines = await lastRunJournal();
    expect(lines.filter((l) => l.startsWith('restore-start'))).toEqual(['restore-start boot reboot', 'restore-start up restore-died']);
    expect(lines.slice(lines.lastIndexOf('restore-start up restore-died')).filter((l) => /^restore-(failed|deferred|incomplete)/.test(l))).toEqual([]);
    expect(lines.at(-1)).toBe('restored');
    expect((await lab.sshExec(NAME, 'hostname')).stdout.trim()).toBe(NAME);
  }, 240_000);
});
