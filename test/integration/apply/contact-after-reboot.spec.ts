import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { scriptCommand } from '../../../libs/apply/src/scripts/script-command';
import { killIfAlive, readPidFile } from '../../support/host-files';
import { armedRunRebooted, events, hostTruth, RUN, RUN_DIR } from './support/boot-hook';
import { alive } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { SimRoot } from './support/sim-root';

/**
 * A contact (facts) finds an armed run whose timer is gone before its deadline. In the boot the run was armed in
 * (the timer was killed), a new timer watches the same deadline; after a reboot no boot hook caught (disabled, or
 * a host armed before hostnet had one), the run is restored: nothing may confirm a run a reboot interrupted.
 */
describe('a contact that finds an armed run with no timer', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  const contact = () => new LocalHostSession(root.dir).exec(scriptCommand('facts', FACTS_SCRIPT), { stdin: '', timeoutMs: 30_000 });

  it('in the boot it was armed in: a new timer on the same deadline', async () => {
    await armedRunRebooted(root);
    rmSync(root.path('.sim/ovsdb-down'));
    const [deadline] = readFileSync(root.path(`${RUN_DIR}/deadline`), 'utf8').split('\n');

    await contact();

    expect(events(root)).toContain(`rearmed ${deadline}`);
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'armed' });
    const timer = readPidFile(root.path(`${RUN_DIR}/timer.pid`));
    expect(alive(timer)).toBe(true);
    killIfAlive(timer);
  }, 40_000);

  it('in a later boot: restored (why: reboot), files and live state as before, no new timer', async () => {
    const before = await armedRunRebooted(root);
    rmSync(root.path('.sim/ovsdb-down'));
    writeFileSync(root.path(`${RUN_DIR}/boot-id`), '00000000-0000-4000-8000-000000000000\n');

    await contact();

    expect(events(root)).not.toContainEqual(expect.stringMatching(/^rearmed/));
    expect(events(root)).toContain('restore-start resume reboot');
    expect(events(root).at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: RUN, phase: 'rolled-back' });
    expect(hostTruth(root)).toEqual(before);
  }, 40_000);
});
