import { readPidFile } from '../../support/host-files';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HostWorkflowService } from '@hostnet/apply';
import { SshConnectionLostError } from '@hostnet/ssh';
import { NEW_INTERFACES, bridgePlan } from './support/bridge-plan';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';
import { alive, applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';

const FAST = { rollbackSeconds: 2, rollbackGraceMs: 1000, reconnectIntervalMs: 200, reconnectTimeoutMs: 4000, confirmMarginMs: 300 };

/** path → mtime + content of every file under dir (hostnet's own tree included). */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = join(rel, entry.name);
    if (entry.isDirectory()) Object.assign(out, snapshot(dir, p));
    else out[p] = `${statSync(join(dir, p)).mtimeMs} ${readFileSync(join(dir, p), 'utf8')}`;
  }
  return out;
}

describe('HostWorkflowService on a local shell host', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('applies: backs up, writes, arms, activates, verifies on a new connection and confirms in 4 round trips', async () => {
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-a'));

    expect(outcome.status).toBe('applied');
    expect(outcome.roundTrips).toEqual({ facts: 1, apply: 1, verify: 1, confirm: 1, total: 4 });
    expect(root.connects).toBe(2);
    expect(outcome.diff.files).toEqual([{ path: '/etc/network/interfaces', change: 'update' }]);
    expect(outcome.steps.map((s) => [s.name, s.exitCode])).toEqual([['ifup-cloudbr0', 0]]);
    expect(outcome.verification.ok).toBe(true);
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(statSync(root.path('etc/network/interfaces')).mode & 0o777).toBe(0o644);
    expect(JSON.parse(root.read('var/lib/hostnet/expected-state.json')).links[0].name).toBe('cloudbr0');
    const backup = `var/lib/hostnet/backups/${outcome.runId}`;
    expect(root.read(`${backup}/files/etc/network/interfaces`)).toBe(OLD_INTERFACES);
    expect(root.read(`${backup}/manifest`)).toBe('saved /etc/network/interfaces\nabsent /var/lib/hostnet/expected-state.json\n');
    expect(root.state()).toMatchObject({ runId: outcome.runId, phase: 'applied', specHash: 'spec1', appliedSpecHash: 'spec1' });
    expect(alive(readPidFile(root.path(`${backup}/timer.pid`)))).toBe(false);
  });

  it('follow-up work rides the connection the run was confirmed on (applied and no-op), never a rolled-back one', async () => {
    const service = new HostWorkflowService(root.connect, FAST);
    const followed: string[] = [];
    const follow = async (outcome: { status: string }, session: { exec: (c: string) => Promise<{ code: number; stdout: string }> }) => {
      const res = await session.exec('cat var/lib/hostnet/state.json');
      followed.push(`${outcome.status} ${res.code} ${JSON.parse(res.stdout).phase}`);
    };

    await service.run({ ...bridgePlan('job-a'), afterRun: follow });
    expect(root.connects).toBe(2);
    await service.run({ ...bridgePlan('job-b'), afterRun: follow });
    expect(root.connects).toBe(3);
    // a hook that throws changes nothing in the outcome
    const noop = await service.run({ ...bridgePlan('job-c'), afterRun: () => Promise.reject(new Error('boom')) });
    expect(noop.status).toBe('no-op');
    const failing = bridgePlan('job-d', { steps: [{ name: 'ifup-cloudbr0', argv: ['false'], phase: 'activate' }] });
    failing.expected.live.links.push({ name: 'cloudbr9', kind: 'bridge' });
    const rolledBack = await service.run({ ...failing, force: true, afterRun: follow });

    expect(rolledBack.status).not.toBe('applied');
    expect(followed).toEqual(['applied 0 applied', 'no-op 0 applied']);
  });

  it('re-run is a no-op: one facts round trip, nothing written, nothing activated', async () => {
    const service = new HostWorkflowService(root.connect, FAST);
    await service.run(bridgePlan('job-a'));
    const before = snapshot(root.dir);
    const activations = root.activations();

    const outcome = await service.run(bridgePlan('job-b'));

    expect(outcome.status).toBe('no-op');
    expect(outcome.roundTrips).toEqual({ facts: 1, apply: 0, verify: 0, confirm: 0, total: 1 });
    expect(outcome.diff).toEqual({ files: [{ path: '/etc/network/interfaces', change: 'same' }], live: [] });
    expect(snapshot(root.dir)).toEqual(before);
    expect(root.activations()).toEqual(activations);
  });

  it('beforeApply is awaited before anything changes, only by a run that applies; one that throws leaves the host as it was', async () => {
    const service = new HostWorkflowService(root.connect, FAST);
    const before = snapshot(root.dir);
    await expect(service.run({ ...bridgePlan('job-ba'), beforeApply: async () => Promise.reject(new Error('redis down')) })).rejects.toThrow('redis down');
    expect(snapshot(root.dir)).toEqual(before);
    expect(root.activations()).toEqual([]);

    const seen: string[] = [];
    const applied = await service.run({ ...bridgePlan('job-bb'), beforeApply: async () => void seen.push(root.read('etc/network/interfaces')) });
    expect([applied.status, seen]).toEqual(['applied', [OLD_INTERFACES]]);
    const noop = await service.run({ ...bridgePlan('job-bc'), beforeApply: async () => void seen.push('no-op') });
    const dry = await service.run({ ...bridgePlan('job-bd'), dryRun: true, force: true, beforeApply: async () => void seen.push('dry-run') });
    expect([noop.status, dry.status, seen]).toEqual(['no-op', 'dry-run', [OLD_INTERFACES]]);
  });

  it.each([
    ['a lost connection', new SshConnectionLostError('channel closed (simulated)', 'kvm1'), 'channel closed (simulated)', 'job-lv'],
    // what a host "reboot" does to the verify script itself: killed, a plain non-zero exit
    ['a verify script killed', new Error('verify script exited 137: Killed'), 'verify script exited 137: Killed', 'job-lk'],
  ])('a first verify that fails with %s is asked again at once, not after a deadline sized for every step', async (_, failure, text, runId) => {
    let connects = 0;
    const failFirstVerify = async () => {
      const session = await root.connect();
      if (++connects !== 2) return session; // 1: facts + apply, 2: the first verify
      return { exec: async () => Promise.reject(failure), close: () => session.close() };
    };
    // A deadline far away (as 20 steps × 2 min would make it): only a second ask ends the run in time.
    const outcome = await new HostWorkflowService(failFirstVerify, { ...FAST, rollbackSeconds: 600 }).run(bridgePlan(runId));
    expect(outcome.status).toBe('applied');
    expect(outcome.reason).toBe(`connection lost during verify: ${text}`);
    // what it recovered from is the run's evidence, marked so api does not make it the verified host's reason
    expect(outcome.recovered).toBe(outcome.reason);
    expect(connects).toBe(3);
    expect(root.state()).toMatchObject({ phase: 'applied' });
  }, 90_000);

  it('dry-run returns file and live diffs and changes nothing', async () => {
    const before = snapshot(root.dir);
    const outcome = await new HostWorkflowService(root.connect, FAST).run({ ...bridgePlan('job-d'), dryRun: true });

    expect(outcome.status).toBe('dry-run');
    expect(outcome.roundTrips.total).toBe(1);
    expect(outcome.diff.files[0].change).toBe('update');
    expect(outcome.diff.files[0].unified).toContain('-iface eth0 inet static');
    expect(outcome.diff.files[0].unified).toContain('+  bridge_ports eth0');
    expect(outcome.diff.live).toContain('bridge cloudbr0 is missing');
    expect(snapshot(root.dir)).toEqual(before);
    expect(root.activations()).toEqual([]);
    // what it says an apply would run is what the apply then runs
    expect(outcome.planned?.map((s) => [s.name, s.argv])).toEqual([['ifup-cloudbr0', ['ifup', 'cloudbr0']]]);
    const applied = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-d-apply'));
    expect(applied.status).toBe('applied');
    expect(applied.steps.map((s) => s.name)).toEqual(outcome.planned?.map((s) => s.name));
    expect(applied.planned).toBeUndefined();
    // and on the configured host a dry-run has nothing to run
    const again = await new HostWorkflowService(root.connect, FAST).run({ ...bridgePlan('job-d-again'), dryRun: true });
    expect([again.status, again.planned]).toEqual(['dry-run', []]);
  });

  it("a dry-run lists the steps in the order the host runs them: live (OVS) steps before activation", async () => {
    const plan = (runId: string) => bridgePlan(runId, { extraSteps: [{ name: 'live-true', argv: ['true'], phase: 'live' }] });
    const dry = await new HostWorkflowService(root.connect, FAST).run({ ...plan('job-order-dry'), dryRun: true });
    expect(dry.planned?.map((s) => s.name)).toEqual(['live-true', 'ifup-cloudbr0']);
    const applied = await new HostWorkflowService(root.connect, FAST).run(plan('job-order'));
    expect(applied.status).toBe('applied');
    expect(applied.steps.map((s) => s.name)).toEqual(['live-true', 'ifup-cloudbr0']);
  });

  it('a failing step stops the run and restores the backup at once', async () => {
    const plan = bridgePlan('job-f', { extraSteps: [{ name: 'sim-fail', argv: ['sim-fail', 'x y'], phase: 'activate' }] });
    const outcome = await new HostWorkflowService(root.connect, FAST).run(plan);

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^step sim-fail exited 3; output: simulated failure; previous configuration restored at once$/);
    expect(outcome.steps.map((s) => [s.name, s.exitCode])).toEqual([['ifup-cloudbr0', 0], ['sim-fail', 3]]);
    expect(outcome.rollback).toMatchObject({ triggered: true });
    expect(outcome.verification.ok).toBe(false);
    // The second facts round trip is the evidence that the host is back to its old files and live state.
    expect(outcome.rollback?.restoreChecks?.every((c) => c.ok)).toBe(true);
    expect(outcome.roundTrips).toEqual({ facts: 2, apply: 1, verify: 0, confirm: 0, total: 3 });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.exists('var/lib/hostnet/expected-state.json')).toBe(false);
    expect(root.state()).toMatchObject({ phase: 'rolled-back' });
    // applied once, then the restore brought up again only the stanza the run changed (eth0), not the
    // whole activation: cloudbr0 was the run's own and the restore deleted it
    expect(root.activations()).toEqual(['ifup cloudbr0', 'sim-fail x y', 'ifup eth0']);
    expect(root.read('.sim/live/link.json')).toBe(root.read('.sim/states/old/link.json'));
  });

  it('a restore takes away the directories the run made for its new files, and only those', async () => {
    const dropIn = { path: '/etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf', content: '[Service]\n', mode: 0o644 };
    const plan = bridgePlan('job-d', { extraFiles: [dropIn], extraSteps: [{ name: 'sim-fail', argv: ['sim-fail', 'x'], phase: 'activate' }] });
    expect(root.exists('etc/systemd')).toBe(false);
    mkdirSync(root.path('etc/keep'));
    const outcome = await new HostWorkflowService(root.connect, FAST).run(plan);
    // a changed drop-in leaves the restore the target's whole activation, whose failing step fails again:
    // the restore's journal says so, and the run does not read as cleanly restored
    expect(outcome.reason).toMatch(/previous configuration NOT fully restored \(see rollback.restoreChecks\)$/);
    expect(outcome.rollback?.restoreChecks?.find((c) => !c.ok)).toEqual({ name: 'restore journal', ok: false, detail: 'the restore could not undo: step sim-fail 3' });
    // etc/keep was there, empty, before the run: not the run's to take away
    expect([root.exists('etc/systemd'), root.exists('etc/network'), root.exists('etc/keep')]).toEqual([false, true, true]);
  });

  it('a failed verification is read again while live state settles, then rolls back instead of waiting for the timer', async () => {
    const plan = bridgePlan('job-v');
    plan.expected.live.links.push({ name: 'cloudbr9', kind: 'bridge' });
    const outcome = await new HostWorkflowService(root.connect, { ...FAST, verifySettleMs: 1_000, verifySettleIntervalMs: 300 }).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toMatch(/verification failed: link cloudbr9 \(bridge cloudbr9 is missing\)/);
    expect(outcome.verification.ok).toBe(false);
    // read again on the verify connection while the 1 s window lasts, no other reconnect: at 0, 300, 600 and 900 ms
    // when a read is instant, one fewer when reads take over ~35 ms (a loaded CI machine), never past the window
    const { verify, ...others } = outcome.roundTrips;
    expect(verify).toBeGreaterThanOrEqual(2);
    expect(verify).toBeLessThanOrEqual(4);
    expect(others).toEqual({ facts: 2, apply: 1, confirm: 1, total: 4 + verify });
    expect(root.connects).toBe(3);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.state()).toMatchObject({ phase: 'rolled-back' });
  });

  it('a port the daemon attaches after its activation command returned is verified on a later read, not rolled back', async () => {
    const plan = bridgePlan('job-s', { steps: [{ name: 'late-up', argv: ['sim-late-up', '0.4'], phase: 'activate' }] });
    const outcome = await new HostWorkflowService(root.connect, { ...FAST, verifySettleMs: 3_000, verifySettleIntervalMs: 150 }).run(plan);

    expect(outcome.status).toBe('applied');
    expect(outcome.verification.checks.filter((c) => !c.ok)).toEqual([]);
    expect(outcome.roundTrips.verify).toBeGreaterThan(1);
    expect(outcome.roundTrips.verify).toBeLessThan(10);
    expect(root.connects).toBe(2);
    expect(root.state()).toMatchObject({ phase: 'applied' });
    expect(root.activations()).toEqual(['sim-late-up 0.4']);
  });

  it('a restore whose live state comes back after its activation returned is reported rolled back once it has, not failed', async () => {
    const plan = bridgePlan('job-r');
    plan.expected.live.links.push({ name: 'cloudbr9', kind: 'bridge' });
    writeFileSync(root.path('.sim/late'), '0.5');
    const outcome = await new HostWorkflowService(root.connect, { ...FAST, verifySettleMs: 1_500, verifySettleIntervalMs: 150 }).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toMatch(/previous configuration restored at once$/);
    expect(outcome.rollback?.restoreChecks?.every((c) => c.ok)).toBe(true);
    expect(outcome.roundTrips.facts).toBeGreaterThan(2);
    expect(root.read('.sim/live/link.json')).toBe(root.read('.sim/states/old/link.json'));
  });

  it('a file changed after the write is not waited for: the run rolls back on the first read', async () => {
    const plan = bridgePlan('job-w', { extraSteps: [{ name: 'edit', argv: ['sh', '-c', 'echo "# edited" >> "$HOSTNET_ROOT/etc/network/interfaces"'], phase: 'activate' }] });
    const outcome = await new HostWorkflowService(root.connect, { ...FAST, verifySettleMs: 3_000, verifySettleIntervalMs: 150 }).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toMatch(/verification failed: files as written \(\/etc\/network\/interfaces changed after the write\)/);
    expect(outcome.roundTrips.verify).toBe(1);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  });

  it('confirm cancels the timer: files stay new after the rollback window', async () => {
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-c'));
    expect(outcome.status).toBe('applied');
    await new Promise((r) => setTimeout(r, 3000));
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(root.state()).toMatchObject({ phase: 'applied' });
    expect(root.activations()).toEqual(['ifup cloudbr0']);
  });

  it("a render the host's live state refuses (a guard's refusal): an apply changes nothing, a dry-run still shows the diff", async () => {
    const refusal = 'VmPathCutError: live bridge cloudbr1 still carries vnet0 (VM taps or the CloudStack agent\'s ports) and this run would take away eth2, its only way to the network';
    const refused = (runId: string, dryRun: boolean) => {
      const plan = bridgePlan(runId);
      const rendered = plan.render({} as never);
      return { ...plan, dryRun, render: () => ({ ...rendered, steps: [], undoSteps: [], refusal }) };
    };
    const dry = await new HostWorkflowService(root.connect, FAST).run(refused('job-refused-dry', true));
    expect({ status: dry.status, reason: dry.reason, steps: dry.steps }).toEqual({ status: 'failed', reason: refusal, steps: [] });
    expect(dry.diff.files).toContainEqual(expect.objectContaining({ path: '/etc/network/interfaces', change: 'update' }));

    const outcome = await new HostWorkflowService(root.connect, FAST).run(refused('job-refused', false));
    expect({ status: outcome.status, reason: outcome.reason, steps: outcome.steps, applyTrips: outcome.roundTrips.apply ?? 0 }).toEqual({ status: 'failed', reason: refusal, steps: [], applyTrips: 0 });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
    expect(root.exists('var/lib/hostnet/state.json')).toBe(false);
  });

  it('refuses, naming the file and the fix, to change a config file that is a symbolic link: the link and its file stay as they were', async () => {
    renameSync(root.path('etc/network/interfaces'), root.path('etc/network/interfaces.site'));
    symlinkSync('interfaces.site', root.path('etc/network/interfaces'));

    const refused = '/etc/network/interfaces is a symbolic link, which hostnet would replace by a file and could not restore as a link; nothing was changed; fix: replace the link by a copy of the file it points to';
    // a dry-run says so too, rather than showing a change no run can make
    const dry = await new HostWorkflowService(root.connect, FAST).run({ ...bridgePlan('job-link-dry'), dryRun: true });
    expect({ status: dry.status, reason: dry.reason }).toEqual({ status: 'failed', reason: refused });

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-link'));

    expect({ status: outcome.status, reason: outcome.reason }).toEqual({ status: 'failed', reason: refused });
    // and the host's own script refuses a payload that would replace it (a controller that did not check)
    const answer = await applyWithoutConfirm(new LocalHostSession(root.dir), bridgePlan('x').render({} as never), 'link-direct', 'spec0', 30);
    expect(answer).toEqual({
      status: 'rejected',
      reason: '/etc/network/interfaces is a symbolic link, which hostnet would replace by a file and could not restore as a link; fix: replace the link by a copy of the file it points to',
    });
    expect(lstatSync(root.path('etc/network/interfaces')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(root.path('etc/network/interfaces'))).toBe('interfaces.site');
    expect(root.read('etc/network/interfaces.site')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
    expect(root.exists('var/lib/hostnet/state.json')).toBe(false);
  });

  it('a symbolic link whose file already holds the content is left alone: the re-run is a no-op', async () => {
    expect((await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-link-1'))).status).toBe('applied');
    renameSync(root.path('etc/network/interfaces'), root.path('etc/network/interfaces.site'));
    symlinkSync('interfaces.site', root.path('etc/network/interfaces'));

    const again = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-link-2'));

    expect(again.status).toBe('no-op');
    expect(lstatSync(root.path('etc/network/interfaces')).isSymbolicLink()).toBe(true);
  });

  it('rejects a rendered path outside the allowed locations before touching the host', async () => {
    const plan = bridgePlan('job-h');
    plan.render = () => ({ target: 'debian-ifupdown-linux', files: [{ path: '/etc/../root/.ssh/authorized_keys', content: 'x', mode: 0o600 }], removes: [], steps: [] });
    await expect(new HostWorkflowService(root.connect, FAST).run(plan)).rejects.toThrow(/files\[0\]\.path: .* contains '\.\.'/);
    expect(root.exists('var/lib/hostnet')).toBe(false);
  });
});
