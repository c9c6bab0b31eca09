import { rmSync } from 'node:fs';
import { readPidFile } from '../../support/host-files';
import { armedRunRebooted, events, hostTruth, RUN, RUN_DIR, runHook } from './support/boot-hook';
import { alive } from './support/host-scripts';
import { SimRoot } from './support/sim-root';

/**
 * A reboot while a run is armed, and the boot unit did not restore it (disabled, failed): `recover.sh up` is the
 * first to find the run. Nothing can confirm a run across a reboot, so it is rolled back as the boot unit would
 * have, never given a new timer that a contact could confirm before the deadline.
 */
describe('recover.sh up, an armed run the boot unit did not restore', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('rolls it back (why: reboot) with no new timer: files and live state as before the run', async () => {
    const before = await armedRunRebooted(root);
    const oldTimer = readPidFile(root.path(`${RUN_DIR}/timer.pid`));
    rmSync(root.path('.sim/ovsdb-down'));
    const atReboot = events(root).length;

    const up = await runHook(root, '/bin/sh /var/lib/hostnet/recover.sh up');

    expect(up.code).toBe(0);
    const found = events(root).slice(atReboot);
    expect(found).not.toContainEqual(expect.stringMatching(/^rearmed/));
    expect(found[0]).toBe('restore-start up reboot');
    expect(found).toContain('removed-bridge cloudbr0');
    expect(found.at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    expect(hostTruth(root)).toEqual(before);
    const timer = readPidFile(root.path(`${RUN_DIR}/timer.pid`));
    expect(timer === oldTimer || !alive(timer)).toBe(true);
  }, 40_000);
});
