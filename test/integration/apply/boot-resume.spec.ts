import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { RUN_SCRIPTS } from '../../../libs/apply/src/scripts/run-scripts';
import { bridgePlan } from './support/bridge-plan';
import { armedRunRebooted, events, hostTruth, OVS_STEP, RUN, RUN_DIR, runHook } from './support/boot-hook';
import { applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { installOvsdbStandin } from './support/ovsdb-standin';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

/**
 * A reboot while a run is armed, on a host whose ovsdb-server and NetworkManager are not up yet when the boot
 * hook runs: the boot restore puts the files back and defers the rest (restore-deferred). The management path
 * may have ridden on the run's change, so no contact may ever come to finish it: the boot hook does, once the
 * network daemons are up (hostnet-resume.service, or cron's retries, boot-resume-retry.spec), on the host alone.
 */

/** A unit's settings, each key with every value it is given (After= may be repeated). */
function unitSettings(text: string): Record<string, string[]> {
  const settings: Record<string, string[]> = {};
  for (const [, key, value] of text.matchAll(/^(\w+)=(.*)$/gm)) (settings[key!] ??= []).push(...value!.trim().split(/\s+/));
  return settings;
}

describe('the boot hook finishes a deferred restore once the network daemons are up, with no contact', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('systemd: the unit before the network defers, the unit after its daemons finishes: files and live state as before, rolled back', async () => {
    const before = await armedRunRebooted(root);
    const early = unitSettings(root.read(`${RUN_DIR}/hostnet-recover.service`));
    const resume = unitSettings(root.read(`${RUN_DIR}/hostnet-resume.service`));
    expect(early.Before).toContain('network-pre.target');
    expect(resume.After).toEqual(expect.arrayContaining(['network.target', 'NetworkManager.service', 'ovsdb-server.service', 'ovs-vswitchd.service', 'openvswitch-switch.service', 'openvswitch.service']));
    expect(resume.WantedBy).toEqual(['multi-user.target']);
    const contacts = root.connects;

    const boot = await runHook(root, early.ExecStart!.join(' '));

    expect(boot.code).toBe(0);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolling-back' });
    expect(events(root).at(-1)).toBe('restore-deferred');
    const atBoot = events(root).length;

    // the daemons are up, over the old files but with the run's OVS bridge in their database
    rmSync(root.path('.sim/ovsdb-down'));
    const started = Date.now();
    const up = await runHook(root, resume.ExecStart!.join(' '));

    expect(up.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    const resumed = events(root).slice(atBoot);
    expect(resumed[0]).toBe('restore-start up restore-died');
    expect(resumed).toContain('removed-bridge cloudbr0');
    expect(resumed.filter((e) => /^restore-(failed|deferred|incomplete)/.test(e))).toEqual([]);
    expect(resumed.at(-1)).toBe('restored');
    expect(hostTruth(root)).toEqual(before);
    expect(root.connects).toBe(contacts);
  }, 40_000);

  it('with nothing deferred it changes nothing: a rolled-back run, an armed run whose timer lives, a host hostnet never touched', async () => {
    const fresh = new SimRoot();
    try {
      mkdirSync(fresh.path('var/lib/hostnet'), { recursive: true });
      writeFileSync(fresh.path('var/lib/hostnet/recover.sh'), RUN_SCRIPTS.find((s) => s.name === 'recover.sh')!.content);
      const untouched = await runHook(fresh, '/bin/sh /var/lib/hostnet/recover.sh up');
      expect(untouched).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(readdirSync(fresh.path('var/lib/hostnet'))).toEqual(['recover.sh']);
    } finally {
      fresh.remove();
    }

    installOvsdbStandin(root);
    const rendered = bridgePlan('x', { extraSteps: [OVS_STEP] }).render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, RUN, 'spec0', 60, ['cloudbr0', 'eth0']);
    copyFileSync(root.path(`${RUN_DIR}/recover.sh`), root.path('var/lib/hostnet/recover.sh'));
    const snapshot = () => ({
      truth: hostTruth(root),
      state: root.read('var/lib/hostnet/state.json'),
      journal: root.read(`${RUN_DIR}/journal`),
      ovsCalls: root.read('.sim/ovs-calls.log'),
      activations: root.activations(),
    });
    for (const phase of ['armed', 'rolled-back']) {
      if (phase === 'rolled-back') {
        await runHook(root, `sh "$HOSTNET_ROOT"/${RUN_DIR}/restore.sh "$HOSTNET_ROOT"/${RUN_DIR} now test`);
      }
      expect(root.state()).toMatchObject({ runId: RUN, phase });
      const was = snapshot();
      const started = Date.now();

      const up = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');

      expect(up).toMatchObject({ code: 0, stdout: '', stderr: '' });
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(snapshot()).toEqual(was);
    }
  }, 40_000);
});
