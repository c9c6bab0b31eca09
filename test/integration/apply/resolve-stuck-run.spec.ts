import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { StuckRunResolver } from '@hostnet/apply';
import { readPidFile, snapshotChanges, snapshotFiles } from '../../support/host-files';
import { bridgePlan, NEW_INTERFACES } from './support/bridge-plan';
import { alive, applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

const OPTIONS = { restoreWaitSeconds: 20, commandTimeoutMs: 30_000, followUpMs: 5_000, reconnectIntervalMs: 200 };
const WHY = 'alice: timer died after a worker crash';

describe('an operator resolves a stuck run on a local shell host', () => {
  let root: SimRoot;
  let resolver: StuckRunResolver;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    root = new SimRoot();
    resolver = new StuckRunResolver(root.connect, OPTIONS);
  });
  afterEach(() => {
    children.forEach((c) => c.kill('SIGKILL'));
    root.remove();
  });

  /** An armed run whose worker is gone and whose rollback timer was killed: nothing would end it. */
  const stuckRun = async (runId: string, seconds = 600) => {
    await applyWithoutConfirm(new LocalHostSession(root.dir), bridgePlan('x').render({} as never), runId, 'spec1', seconds);
    const timer = readPidFile(root.path(`var/lib/hostnet/backups/${runId}/timer.pid`));
    process.kill(-timer, 'SIGKILL');
    while (alive(timer)) await new Promise((r) => setTimeout(r, 20));
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(root.state()).toMatchObject({ runId, phase: 'armed' });
  };

  it('rolls back an armed run whose timer died, journaling who and why, with the restored files as evidence', async () => {
    await stuckRun('stuck-1');

    const outcome = await resolver.rollback(WHY);

    expect(outcome).toMatchObject({ status: 'rolled-back', runId: 'stuck-1', specHash: 'spec1', phaseBefore: 'armed', phaseAfter: 'rolled-back', mode: 'now' });
    expect(outcome.restoredFiles).toEqual([{ path: '/etc/network/interfaces', ok: true, detail: 'matches the backup' }]);
    expect(outcome.journal?.[0]).toMatchObject({ event: 'restore-start', args: ['now', 'operator:', ...WHY.split(' ')] });
    expect(outcome.journal?.at(-1)?.event).toBe('restored');
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.state()).toMatchObject({ runId: 'stuck-1', phase: 'rolled-back' });
  });

  it('changes nothing on a host whose last run is applied, and writes no file', async () => {
    await stuckRun('done-1');
    const state = root.state();
    writeFileSync(root.path('var/lib/hostnet/state.json'), `${JSON.stringify({ ...state, phase: 'applied', appliedSpecHash: 'spec1' })}\n`);
    const before = snapshotFiles(root.dir);

    const outcome = await resolver.rollback(WHY);

    expect(outcome).toMatchObject({ status: 'nothing-to-resolve', runId: 'done-1', phaseAfter: 'applied' });
    expect(outcome.detail).toMatch(/run done-1 is applied: nothing is stuck, nothing was changed/);
    expect(snapshotChanges(before, snapshotFiles(root.dir))).toEqual([]);
  });

  it('refuses, without killing it, a live apply inside its deadline; past the deadline it stops it and restores', async () => {
    await stuckRun('live-1');
    const apply = spawn('sleep', ['60'], { stdio: 'ignore' });
    children.push(apply);
    const pidFile = root.path('var/lib/hostnet/backups/live-1/apply.pid');
    writeFileSync(pidFile, `${apply.pid} ${procStart(apply.pid!)}\n`);

    const refused = await resolver.rollback(WHY);
    expect(refused).toMatchObject({ status: 'refused', runId: 'live-1', phaseAfter: 'armed' });
    expect(refused.detail).toMatch(/the apply of run live-1 is still running, \d+ s before its deadline: not killed/);
    expect(alive(apply.pid!)).toBe(true);
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);

    writeFileSync(root.path('var/lib/hostnet/backups/live-1/deadline'), `${Math.floor(Date.now() / 1000) - 5}\n`);
    const resolved = await resolver.rollback(WHY);
    expect(resolved).toMatchObject({ status: 'rolled-back', mode: 'resume' });
    expect(alive(apply.pid!)).toBe(false);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  });

  it('resumes a restore that died half-way', async () => {
    await stuckRun('half-1');
    const state = root.state();
    writeFileSync(root.path('var/lib/hostnet/state.json'), `${JSON.stringify({ ...state, phase: 'rolling-back' })}\n`);

    const outcome = await resolver.rollback(WHY);

    expect(outcome).toMatchObject({ status: 'rolled-back', phaseBefore: 'rolling-back', mode: 'resume' });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  });

  it('refuses a why that could break the journal before reaching the host', async () => {
    await expect(resolver.rollback('ok\n1 restored')).rejects.toThrow(/why: .* must be 1-400 of ASCII letters/);
    expect(root.connects).toBe(0);
  });
});

function procStart(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;
}
