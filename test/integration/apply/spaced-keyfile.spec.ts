import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { RenderError } from '@hostnet/render';
import { HostWorkflowService, StuckRunResolver, SYSTEM_CLOCK } from '@hostnet/apply';
import { HostScriptRunner } from '../../../libs/apply/src/workflow/host-script.runner';
import { RunTracker } from '../../../libs/apply/src/workflow/run-tracker';
import { killIfAlive, readPidFile, snapshotChanges, snapshotFiles } from '../../support/host-files';
import { alive, applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';
import { neutralisingRender, seedWiredConnection, WIRED, WIRED_BYTES, wiredOnHost, wiredPlan } from './support/wired-connection';

const FAST = { rollbackSeconds: 2, rollbackGraceMs: 1000, reconnectIntervalMs: 200, reconnectTimeoutMs: 4000, confirmMarginMs: 300 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const REASON = "configures eth0, which hostnet manages: moved into the run's backup (back on rollback)";

/**
 * NetworkManager's `Wired connection 1.nmconnection` (a name with spaces) through the real on-host
 * scripts under /bin/sh: neutralised inside the run, and put back byte for byte with its mode by every
 * way a run can end without confirming.
 */
describe("a NetworkManager keyfile named 'Wired connection 1' on a local shell host", () => {
  let root: SimRoot;
  const facts = () => new HostScriptRunner(new RunTracker(SYSTEM_CLOCK)).facts(new LocalHostSession(root.dir), [], 10_000);
  const backup = (runId: string) => root.path(`var/lib/hostnet/backups/${runId}/files${WIRED}`);
  const journal = (runId: string) => root.read(`var/lib/hostnet/backups/${runId}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
  const expectPutBack = () => expect(wiredOnHost(root)).toEqual({ bytes: WIRED_BYTES, mode: 0o600 });

  beforeEach(() => {
    root = new SimRoot();
    seedWiredConnection(root);
  });
  afterEach(() => root.remove());

  it('is read whole by facts, named with the reason in the diff, backed up and removed; a re-run is a no-op', async () => {
    const seen = await facts();
    expect(seen.files.get(WIRED)).toMatchObject({ path: WIRED, mode: 0o600, size: WIRED_BYTES.length, content: WIRED_BYTES.toString('utf8') });

    const service = new HostWorkflowService(root.connect, FAST);
    const outcome = await service.run(wiredPlan('job-wired'));

    expect(outcome.status).toBe('applied');
    expect(outcome.diff.files).toContainEqual({ path: WIRED, change: 'delete', reason: REASON });
    expect(existsSync(root.path(WIRED))).toBe(false);
    expect(readFileSync(backup(outcome.runId))).toEqual(WIRED_BYTES);
    expect(statSync(backup(outcome.runId)).mode & 0o7777).toBe(0o600);
    expect(root.read(`var/lib/hostnet/backups/${outcome.runId}/manifest`)).toContain(`\nsaved ${WIRED}\n`);
    expect(journal(outcome.runId)).toEqual(expect.arrayContaining([`backed-up ${WIRED}`, `writing ${WIRED}`, `removed ${WIRED}`, 'confirmed']));

    const before = snapshotFiles(root.dir);
    const again = await service.run(wiredPlan('job-wired-2'));
    expect(again.status).toBe('no-op');
    expect(again.diff.files.map((f) => f.path)).not.toContain(WIRED);
    expect(snapshotChanges(before, snapshotFiles(root.dir))).toEqual([]);
  });

  it('a dry run names it with the reason and the text it would remove, and changes nothing', async () => {
    const before = snapshotFiles(root.dir);
    const outcome = await new HostWorkflowService(root.connect, FAST).run({ ...wiredPlan('job-dry'), dryRun: true });
    const moved = outcome.diff.files.find((f) => f.path === WIRED);
    expect(moved).toMatchObject({ change: 'delete', reason: REASON });
    expect(moved?.unified).toContain('-interface-name=eth0');
    expect(snapshotChanges(before, snapshotFiles(root.dir))).toEqual([]);
  });

  it('an armed run never confirmed is restored by the on-host timer: the keyfile is back byte for byte with its mode', async () => {
    const rendered = neutralisingRender((await facts()).files);
    const result = await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'wired-timer', 'spec1', 1);
    expect(result).toMatchObject({ status: 'armed', changes: expect.arrayContaining([{ kind: 'remove', path: WIRED }]) });
    expect(existsSync(root.path(WIRED))).toBe(false);

    // the restore sets the phase, then journals 'restored': the journal's last line is what the worker waits for
    for (let i = 0; i < 100 && !(root.exists('var/lib/hostnet/backups/wired-timer/journal') && journal('wired-timer').includes('restored')); i++) await sleep(100);
    expect(root.state()).toMatchObject({ runId: 'wired-timer', phase: 'rolled-back' });
    expectPutBack();
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(journal('wired-timer')).toEqual(expect.arrayContaining(['restore-start watch timer', `restored-file ${WIRED}`, 'restored']));
  });

  it('an apply script killed after removing it is restored at the next contact (crash recovery), and facts see it again', async () => {
    const rendered = neutralisingRender((await facts()).files);
    rendered.steps.push({ name: 'hang', argv: ['sleep', '60'], phase: 'live' });
    void applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'wired-crash', 'spec1', 60).catch(() => undefined);
    while (!(root.exists('var/lib/hostnet/backups/wired-crash/journal') && journal('wired-crash').includes('step-start hang'))) await sleep(100);
    expect(existsSync(root.path(WIRED))).toBe(false);
    for (let i = 0; i < 50 && !root.exists('var/lib/hostnet/backups/wired-crash/step.pid'); i++) await sleep(100);
    process.kill(readPidFile(root.path('var/lib/hostnet/backups/wired-crash/apply.pid')), 'SIGKILL');
    killIfAlive(readPidFile(root.path('var/lib/hostnet/backups/wired-crash/step.pid')));

    const after = await facts();

    expect(journal('wired-crash').join('\n')).toMatch(new RegExp(`restore-start resume apply-died\\n(.*\\n)*restored-file ${WIRED}\\n(.*\\n)*restored$`));
    expectPutBack();
    expect(after.files.get(WIRED)).toMatchObject({ path: WIRED, mode: 0o600, content: WIRED_BYTES.toString('utf8') });
    await sleep(1_200);
    expect(alive(readPidFile(root.path('var/lib/hostnet/backups/wired-crash/timer.pid')))).toBe(false);
  }, 30_000);

  it('a failing step restores it at once, and the restore evidence (facts) finds it matching the backup', async () => {
    const plan = wiredPlan('job-wfail');
    const render = plan.render;
    plan.render = (f) => {
      const r = render(f);
      return { ...r, steps: [...r.steps, { name: 'sim-fail', argv: ['sim-fail'], phase: 'activate' }] };
    };
    const restoreSteps = () => [{ name: 'ifup-cloudbr0', argv: ['ifup', 'cloudbr0'], phase: 'activate' as const }];
    const outcome = await new HostWorkflowService(root.connect, { ...FAST, restoreSteps }).run(plan);

    expect(outcome.status).toBe('failed');
    // /etc/network/interfaces and the keyfile, each read whole by facts before and after
    expect(outcome.rollback?.restoreChecks).toContainEqual({ name: 'files restored', ok: true, detail: '2 files match the pre-apply hashes' });
    expectPutBack();
  });

  it.each([
    ['a newline', 'Wired\nconnection 1.nmconnection'],
    ['a tab', 'Wired\tconnection 1.nmconnection'],
    ['a double space', 'Wired  connection 1.nmconnection'],
    ['a leading space', ' Wired connection 1.nmconnection'],
    ['a glob character', 'Wired connection [1].nmconnection'],
  ])('a keyfile whose name has %s is read whole by facts and refused, naming it and the fix; the host is left alone', async (_label, name) => {
    const odd = `/etc/NetworkManager/system-connections/${name}`;
    writeFileSync(root.path(odd), WIRED_BYTES);
    const before = snapshotFiles(root.dir);

    const seen = await facts();

    expect(seen.files.get(odd)).toMatchObject({ path: odd, size: WIRED_BYTES.length, content: WIRED_BYTES.toString('utf8') });
    expect(seen.files.get(WIRED)).toMatchObject({ path: WIRED, content: WIRED_BYTES.toString('utf8') });
    expect(() => neutralisingRender(seen.files)).toThrow(RenderError);
    expect(() => neutralisingRender(seen.files)).toThrow(`${JSON.stringify(odd)} configures eth0 (managed by hostnet), and its name has characters the run's backup does not take`);
    expect(snapshotChanges(before, snapshotFiles(root.dir))).toEqual([]);
  });

  it("an operator's resolve of a stuck run puts it back and reports it matching the backup", async () => {
    const rendered = neutralisingRender((await facts()).files);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'wired-stuck', 'spec1', 600);
    const timer = readPidFile(root.path('var/lib/hostnet/backups/wired-stuck/timer.pid'));
    process.kill(-timer, 'SIGKILL');
    while (alive(timer)) await sleep(20);
    expect(existsSync(root.path(WIRED))).toBe(false);

    const resolver = new StuckRunResolver(root.connect, { restoreWaitSeconds: 20, commandTimeoutMs: 30_000, followUpMs: 5_000, reconnectIntervalMs: 200 });
    const outcome = await resolver.rollback('alice: worker gone');

    expect(outcome).toMatchObject({ status: 'rolled-back', runId: 'wired-stuck', phaseAfter: 'rolled-back' });
    expect(outcome.restoredFiles).toContainEqual({ path: WIRED, ok: true, detail: 'matches the backup' });
    expect(outcome.journal).toContainEqual(expect.objectContaining({ event: 'restored-file', args: [WIRED] }));
    expectPutBack();
  });
});
