import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { readPidFile } from '../../support/host-files';
import { bridgePlan } from './support/bridge-plan';
import { alive, applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The rollback timer firing at the deadline and a rollback started at once (`now`: the controller's, after a
 * failed verification) are one restore: whichever takes the run lock first runs the restore steps, and the other
 * neither runs them again nor stops the one running.
 */
describe('the rollback timer and a rollback at once (now) never both run restore steps', () => {
  let root: SimRoot;
  const RUN = 'var/lib/hostnet/backups/race-1';
  const events = () => root.read(`${RUN}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
  const restoreNow = () => new LocalHostSession(root.dir).exec(`sh "$HOSTNET_ROOT"/${RUN}/restore.sh "$HOSTNET_ROOT"/${RUN} now controller`, { timeoutMs: 30_000 });

  beforeEach(() => {
    root = new SimRoot();
    // a restore step that takes 3 s once .sim/slow exists (the apply's own run of it is quick)
    writeFileSync(root.path('.sim/bin/sim-slow'), '#!/bin/sh\n[ -f "$HOSTNET_ROOT/.sim/slow" ] && sleep 3\nexit 0\n', { mode: 0o755 });
  });

  afterEach(() => {
    execFileSync('chattr', ['-R', '-i', root.dir], { stdio: 'ignore' });
    root.remove();
  });

  const arm = async (seconds: number) => {
    const rendered = bridgePlan('x', { extraSteps: [{ name: 'slow', argv: ['sim-slow'], phase: 'activate' }] }).render({} as never);
    expect(await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'race-1', 'spec0', seconds)).toMatchObject({ status: 'armed' });
    writeFileSync(root.path('.sim/slow'), '');
  };

  it("a rollback at once that arrives while the timer's restore runs a step waits for it, instead of stopping that step", async () => {
    await arm(1);
    while (!root.exists(`${RUN}/journal`) || !events().includes('restored-step ifup-cloudbr0')) await sleep(50);
    await sleep(300);
    const now = await restoreNow();

    expect(now).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to do') });
    expect(events().filter((e) => e.startsWith('restore-start'))).toEqual(['restore-start watch timer']);
    expect(events()).toContain('restored-step slow');
    expect(events().filter((e) => e.startsWith('restore-failed'))).toEqual([]);
    expect(events().at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: 'race-1', phase: 'rolled-back' });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  }, 30_000);

  it("a rollback at once records its steps apart from the apply's, the only step the timer stops before it takes the lock", async () => {
    await arm(60);
    const now = restoreNow();
    while (!events().includes('restored-step ifup-cloudbr0')) await sleep(50);
    await sleep(300);
    // the slow restore step runs now: the apply's step record does not name it
    expect(root.exists(`${RUN}/step.pid`) && alive(readPidFile(root.path(`${RUN}/step.pid`)))).toBe(false);
    expect(alive(readPidFile(root.path(`${RUN}/restore-step.pid`)))).toBe(true);
    expect(await now).toMatchObject({ code: 0 });
    expect(events().at(-1)).toBe('restored');
  }, 30_000);
});
