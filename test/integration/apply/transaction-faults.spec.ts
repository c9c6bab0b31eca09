import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { HostWorkflowService, SYSTEM_CLOCK } from '@hostnet/apply';
import type { HostSession } from '@hostnet/ssh';
import { HOST_SCRIPT_COMMANDS } from '../../../libs/apply/src/scripts/host-script-commands';
import { HostScriptRunner } from '../../../libs/apply/src/workflow/host-script.runner';
import { RunTracker } from '../../../libs/apply/src/workflow/run-tracker';
import { COMMON_SNIPPET } from '../../../libs/apply/src/scripts/common.snippet';
import { BOOT_RECOVER_SCRIPT } from '../../../libs/apply/src/scripts/recover.snippet';
import { killIfAlive, readPidFile } from '../../support/host-files';
import { NEW_INTERFACES, bridgePlan } from './support/bridge-plan';
import { applyWithoutConfirm, alive } from './support/host-scripts';
import { installOvsdbStandin } from './support/ovsdb-standin';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

const FAST = { rollbackSeconds: 2, rollbackGraceMs: 1000, reconnectIntervalMs: 200, reconnectTimeoutMs: 6000, confirmMarginMs: 300 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The events of one run's on-host journal, in order. */
function events(root: SimRoot, runId: string): string[] {
  return root.read(`var/lib/hostnet/backups/${runId}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
}

describe('the apply transaction under faults (on-host journal decides)', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => {
    execFileSync('chattr', ['-R', '-i', root.dir], { stdio: 'ignore' });
    root.remove();
  });

  it('a write that fails half-way restores what was written, answers failed naming the write, leaves no temp file', async () => {
    // expected-state.json is written after /etc/network/interfaces: make it immutable, as a full or
    // read-only filesystem would refuse it.
    mkdirSync(root.path('var/lib/hostnet'), { recursive: true });
    writeFileSync(root.path('var/lib/hostnet/expected-state.json'), '{}\n');
    execFileSync('chattr', ['+i', root.path('var/lib/hostnet/expected-state.json')]);

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-w'));

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^write \/var\/lib\/hostnet\/expected-state.json failed; output: .*Operation not permitted/);
    expect(outcome.verification.ok).toBe(false);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
    expect(readdirSync(root.path('var/lib/hostnet')).filter((f) => f.includes('.hostnet-'))).toEqual([]);
    expect(readdirSync(root.path('etc/network')).filter((f) => f.includes('.hostnet-'))).toEqual([]);
    expect(root.state()).toMatchObject({ runId: outcome.runId, phase: 'rolled-back' });
    const journal = events(root, outcome.runId);
    expect(journal).toContain('failed write /var/lib/hostnet/expected-state.json');
    expect(journal).not.toContain('confirmed');
    expect(journal.indexOf('restore-start now write /var/lib/hostnet/expected-state.json')).toBeGreaterThan(journal.indexOf('failed write /var/lib/hostnet/expected-state.json'));
  });

  it('an apply script killed between a write and its rename leaves no temp file once restored, outside /etc too', async () => {
    const mv = execFileSync('sh', ['-c', 'command -v mv'], { encoding: 'utf8' }).trim();
    const killApply = 'for f in "$HOSTNET_ROOT"/var/lib/hostnet/backups/*/apply.pid; do kill -9 "$(cut -d" " -f1 "$f")"; done; exit 1';
    // mv -f TEMP FILE: the rename of expected-state.json's temp copy
    writeFileSync(root.path('.sim/bin/mv'), `#!/bin/sh\ncase "$2:$3" in *.hostnet-*.tmp:*expected-state.json) ${killApply} ;; esac\nexec ${mv} "$@"\n`, { mode: 0o755 });

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-killed-write'));

    expect(outcome.status).toBe('rolled-back');
    expect(events(root, outcome.runId).join('\n')).toMatch(/writing \/var\/lib\/hostnet\/expected-state.json\nrestore-start (.*\n)*restored$/);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(readdirSync(root.path('var/lib/hostnet')).filter((f) => f.includes('.hostnet-'))).toEqual([]);
    expect(readdirSync(root.path('etc/network')).filter((f) => f.includes('.hostnet-'))).toEqual([]);
  }, 30_000);

  it('a deadline that cannot be written stops the run before anything changes, instead of arming a timer with no deadline', async () => {
    const mv = execFileSync('sh', ['-c', 'command -v mv'], { encoding: 'utf8' }).trim();
    writeFileSync(root.path('.sim/bin/mv'), `#!/bin/sh\ncase "$*" in *deadline.tmp*) echo 'mv: No space left on device' >&2; exit 1 ;; esac\nexec ${mv} "$@"\n`, { mode: 0o755 });

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-nodeadline'));

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('deadline failed; nothing on the host was changed');
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
    expect(events(root, outcome.runId).filter((e) => /^(failed|writing|step-start)/.test(e))).toEqual(['failed deadline']);
  });

  it('activation slower than the rollback timer: the deadline restarts after the last step, confirm follows the steps', async () => {
    const slow = [1, 2].map((i) => ({ name: `slow-${i}`, argv: ['sleep', '1.5'], phase: 'activate' as const }));
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-slow', { extraSteps: slow }));

    expect(outcome.status).toBe('applied');
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    const journal = events(root, outcome.runId).map((e) => e.split(' ')[0]);
    expect(journal).not.toContain('restore-start');
    const order = ['step-end', 'steps-done', 'confirmed'].map((e) => journal.lastIndexOf(e));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every((i) => i >= 0)).toBe(true);
  });

  it('a rollback timer killed by a "reboot" is caught at the next contact: the expired run is restored first, then a new run applies', async () => {
    const rendered = bridgePlan('x', { interfaces: `${NEW_INTERFACES}# crashed\n` }).render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'rebooted-1', 'spec0', 1);
    const timer = readPidFile(root.path('var/lib/hostnet/backups/rebooted-1/timer.pid'));
    process.kill(timer, 'SIGKILL');
    await sleep(1_500);
    expect(root.state()).toMatchObject({ runId: 'rebooted-1', phase: 'armed' });

    const outcome = await new HostWorkflowService(root.connect, FAST).run({ ...bridgePlan('job-after', { specHash: 'spec2' }), force: true });

    expect(outcome.status).toBe('applied');
    expect(events(root, 'rebooted-1')).toEqual(expect.arrayContaining(['restore-start resume timer-died', 'restored']));
    expect(root.read(`var/lib/hostnet/backups/${outcome.runId}/files/etc/network/interfaces`)).toBe(OLD_INTERFACES);
  });

  it('a reboot restore before ovsdb-server is up puts the files back and leaves the OVS part to the next contact, which finishes it', async () => {
    installOvsdbStandin(root);
    const rendered = bridgePlan('x', { extraSteps: [{ name: 'ovs-add-br-cloudbr0', argv: ['ovs-vsctl', 'add-br', 'cloudbr0'], phase: 'live' }] }).render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'booted-1', 'spec0', 60, ['cloudbr0', 'eth0']);
    expect(root.read('.sim/ovs-bridges')).toBe('cloudbr0\n');
    // the reboot: the timer is gone, and the boot unit runs before ovsdb-server
    process.kill(readPidFile(root.path('var/lib/hostnet/backups/booted-1/timer.pid')), 'SIGKILL');
    writeFileSync(root.path('.sim/ovsdb-down'), '');

    const boot = await new LocalHostSession(root.dir).exec(BOOT_RECOVER_SCRIPT);

    expect(boot.code).toBe(0);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.state()).toMatchObject({ runId: 'booted-1', phase: 'rolling-back' });
    const atBoot = events(root, 'booted-1');
    expect(atBoot).toEqual(expect.arrayContaining(['restore-start early reboot', 'restore-failed ovs list-br']));
    expect(atBoot.at(-1)).toBe('restore-deferred');

    // a second reboot before any contact: its boot restore, before ovsdb-server again, defers again
    const again = await new LocalHostSession(root.dir).exec(BOOT_RECOVER_SCRIPT);
    expect(again.code).toBe(0);
    expect(root.state()).toMatchObject({ runId: 'booted-1', phase: 'rolling-back' });
    expect(events(root, 'booted-1').slice(atBoot.length)).toEqual(expect.arrayContaining(['restore-start early restore-died', 'restore-failed ovs list-br', 'restore-deferred']));
    expect(events(root, 'booted-1').at(-1)).toBe('restore-deferred');

    // ovsdb-server is up: the next contact (a facts read) resumes the restore, which drops the run's bridge
    rmSync(root.path('.sim/ovsdb-down'));
    const facts = await new LocalHostSession(root.dir).exec(HOST_SCRIPT_COMMANDS.facts);
    expect(facts.code).toBe(0);
    expect(root.read('.sim/ovs-bridges')).toBe('');
    expect(root.state()).toMatchObject({ runId: 'booted-1', phase: 'rolled-back' });
    const resumed = events(root, 'booted-1');
    expect(resumed.slice(resumed.lastIndexOf('restore-start resume restore-died'))).toEqual(expect.arrayContaining(['removed-bridge cloudbr0']));
    expect(resumed.at(-1)).toBe('restored');
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  }, 30_000);

  it('an apply script killed between its steps is restored at the next contact without waiting for its deadline', async () => {
    const rendered = bridgePlan('x', { extraSteps: [{ name: 'hang', argv: ['sleep', '60'], phase: 'live' }] }).render({} as never);
    void applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'killed-1', 'spec0', 60).catch(() => undefined);
    for (let i = 0; i < 50 && !root.exists('var/lib/hostnet/backups/killed-1/step.pid'); i++) await sleep(100);
    while (!events(root, 'killed-1').includes('step-start hang')) await sleep(100);
    process.kill(readPidFile(root.path('var/lib/hostnet/backups/killed-1/apply.pid')), 'SIGKILL');
    killIfAlive(readPidFile(root.path('var/lib/hostnet/backups/killed-1/step.pid')));
    const started = Date.now();

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-next', { specHash: 'spec2' }));

    expect(outcome.status).toBe('applied');
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(events(root, 'killed-1').join('\n')).toMatch(/restore-start resume apply-died\n(.*\n)*restored$/);
    expect(root.read(`var/lib/hostnet/backups/${outcome.runId}/files/etc/network/interfaces`)).toBe(OLD_INTERFACES);
    await sleep(1_200);
    expect(alive(readPidFile(root.path('var/lib/hostnet/backups/killed-1/timer.pid')))).toBe(false);
  }, 30_000);

  it('an apply script killed while the worker waits on it is restored by the next verify, not after the step budget', async () => {
    // A step that kills its own apply script, as a reboot or the OOM killer would, mid-activation.
    const killApply = ['sh', '-c', 'for f in "$HOSTNET_ROOT"/var/lib/hostnet/backups/*/apply.pid; do kill -9 "$(cut -d" " -f1 "$f")"; done'];
    const started = Date.now();

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-oom', { extraSteps: [{ name: 'oom', argv: killApply, phase: 'live' }] }));

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.verification.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(events(root, outcome.runId).join('\n')).toMatch(/step-start oom\nrestore-start resume apply-died\n(.*\n)*restored$/);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  }, 30_000);

  it('a restore resumed twice at once (both found the lock free) runs once: the second waits instead of stopping the first one\'s step', async () => {
    // a restore step that takes 3 s once .sim/slow exists (the apply's own run of it is quick)
    const RUN = 'var/lib/hostnet/backups/slowed-1';
    writeFileSync(root.path('.sim/bin/sim-slow'), '#!/bin/sh\n[ -f "$HOSTNET_ROOT/.sim/slow" ] && sleep 3\nexit 0\n', { mode: 0o755 });
    const rendered = bridgePlan('x', { extraSteps: [{ name: 'slow', argv: ['sim-slow'], phase: 'activate' }] }).render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'slowed-1', 'spec0', 60);
    process.kill(readPidFile(root.path(`${RUN}/timer.pid`)), 'SIGKILL');
    writeFileSync(root.path('.sim/slow'), '');
    const restore = () => new LocalHostSession(root.dir).exec(`sh "$HOSTNET_ROOT"/${RUN}/restore.sh "$HOSTNET_ROOT"/${RUN} resume restore-died`);

    const first = restore();
    while (!events(root, 'slowed-1').includes('restored-step ifup-cloudbr0')) await sleep(50);
    await sleep(300);
    // both found the lock free before either took it: the second starts while the first runs its slow step
    const second = restore();
    const [a, b] = await Promise.all([first, second]);

    expect(a.code).toBe(0);
    expect(b).toMatchObject({ code: 0, stdout: expect.stringContaining('nothing to do') });
    expect(events(root, 'slowed-1').filter((e) => e.startsWith('restore-start'))).toEqual(['restore-start resume restore-died']);
    expect(events(root, 'slowed-1')).toContain('restored-step slow');
    expect(events(root, 'slowed-1').at(-1)).toBe('restored');
    expect(root.state()).toMatchObject({ runId: 'slowed-1', phase: 'rolled-back' });
  }, 40_000);

  it('the run lock admits one holder at a time, and a killed holder releases it at once', async () => {
    const script = `${COMMON_SNIPPET}
for i in 1 2 3 4 5 6 7 8 9 10; do
  lock 30 || exit 9
  mkdir "$S/inside" 2>/dev/null || echo overlap
  sleep 0.02
  rmdir "$S/inside"
  unlock
done`;
    const runs = Array.from({ length: 8 }, () => new LocalHostSession(root.dir).exec(script, { timeoutMs: 60_000 }));
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual(Array(8).fill(0));
    expect(results.map((r) => r.stdout).join('')).toBe('');

    const holder = spawn('flock', ['-o', root.path('var/lib/hostnet/run.lock'), 'sleep', '60'], { stdio: 'ignore' });
    await sleep(300);
    holder.kill('SIGKILL');
    await sleep(100);
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-after-holder'));
    expect(outcome.status).toBe('applied');
  }, 60_000);
});

/** Sessions on ROOT whose apply connection drops half a second in while its script goes on, as on a host whose SSH session died. */
function losingApplySession(root: SimRoot): () => Promise<HostSession> {
  return async () => {
    const session = await root.connect();
    return {
      exec: (command, options) => {
        if (command !== HOST_SCRIPT_COMMANDS.apply) return session.exec(command, options);
        void session.exec(command, { ...options, timeoutMs: 30_000 }).catch(() => undefined);
        return sleep(500).then(() => Promise.reject(new Error('read ECONNRESET (test: the apply connection dropped)')));
      },
      close: () => session.close(),
    };
  };
}

describe('an apply whose connection is lost before it armed (the on-host run lock decides)', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  /** A stand-in for TOOL that sleeps SECONDS first when its arguments are ARGS (all of them when '*'), then runs the real one. */
  const slowStandIn = (tool: string, args: string, seconds: number) => {
    const real = execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
    const when = args === '*' ? '[ -e "$HOSTNET_ROOT/.sim/slow" ] && rm -f "$HOSTNET_ROOT/.sim/slow"' : `[ "$*" = '${args}' ]`;
    writeFileSync(root.path(`.sim/bin/${tool}`), `#!/bin/sh\nif ${when}; then sleep ${seconds}; fi\nexec ${real} "$@"\n`, { mode: 0o755 });
  };

  it('is waited for while its script holds the run lock making backups (longer than verify waits for the lock), never reported "unchanged" while it can still change the host', async () => {
    slowStandIn('cp', '*', 7);
    writeFileSync(root.path('.sim/slow'), '');
    const outcome = await new HostWorkflowService(losingApplySession(root), FAST).run(bridgePlan('job-lost'));

    expect(outcome.reason).toMatch(/^connection lost during apply: read ECONNRESET/);
    expect(outcome.recovered).toBe(outcome.reason);
    expect(outcome.status).toBe('applied');
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(events(root, outcome.runId).map((e) => e.split(' ')[0])).toEqual(expect.arrayContaining(['armed', 'steps-done', 'confirmed']));
  }, 30_000);

  it('is fenced by a verify that finds the lock free: an apply that had not taken the lock yet changes nothing', async () => {
    slowStandIn('flock', '-w 10 9', 1.5);
    const rendered = bridgePlan('x').render({} as never);
    const applying = applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'late-1', 'spec0', 30);
    while (!(root.exists('var/lib/hostnet/backups/late-1/journal') && events(root, 'late-1').some((e) => e.startsWith('begin')))) await sleep(50);

    const seen = await new HostScriptRunner(new RunTracker(SYSTEM_CLOCK)).verify(new LocalHostSession(root.dir), undefined, 10_000, { runId: 'late-1', extendSeconds: 30 });

    expect(seen.applying).toBe('ended');
    expect(seen.journal?.entries.map((e) => e.event)).not.toContain('armed');
    expect(await applying).toMatchObject({ status: 'rejected', reason: 'run late-1 was given up before it took the run lock' });
    expect(events(root, 'late-1')).toContain('failed abandoned');
    expect(events(root, 'late-1')).not.toContain(expect.stringMatching(/^armed/));
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
    expect(root.exists('var/lib/hostnet/state.json')).toBe(false);
  }, 30_000);

  it('ends on the journal when the apply gave up waiting for a lock another holds, not when that holder lets go', async () => {
    mkdirSync(root.path('var/lib/hostnet'), { recursive: true });
    const holder = spawn('flock', ['-o', root.path('var/lib/hostnet/run.lock'), 'sleep', '25'], { stdio: 'ignore' });
    await sleep(300);
    try {
      const outcome = await new HostWorkflowService(losingApplySession(root), FAST).run(bridgePlan('job-lock-held'));

      expect(outcome.status).toBe('failed');
      expect(outcome.reason).toMatch(/; lock failed before anything changed$/);
      expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    } finally {
      holder.kill('SIGKILL');
    }
  }, 40_000);

  it('says so when the fence cannot be written, and the worker does not call the host unchanged on it', async () => {
    mkdirSync(root.path('var/lib/hostnet'), { recursive: true });
    writeFileSync(root.path('var/lib/hostnet/backups'), 'not a directory\n');

    const seen = await new HostScriptRunner(new RunTracker(SYSTEM_CLOCK)).verify(new LocalHostSession(root.dir), undefined, 10_000, { runId: 'nofence-1', extendSeconds: 30 });

    expect(seen.applying).toBe('unknown');
    rmSync(root.path('var/lib/hostnet/backups'));
  });

  it('a verify of a run that never reached the host fences it too: its apply, arriving late, is refused before it writes', async () => {
    const seen = await new HostScriptRunner(new RunTracker(SYSTEM_CLOCK)).verify(new LocalHostSession(root.dir), undefined, 10_000, { runId: 'never-1', extendSeconds: 30 });
    expect(seen.applying).toBe('ended');

    const answer = await applyWithoutConfirm(new LocalHostSession(root.dir), bridgePlan('x').render({} as never), 'never-1', 'spec0', 30);

    expect(answer).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/run never-1 already exists/) });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  });
});

describe('the verify round trip extends a proven-reachable run', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('pushes the deadline to now + the given seconds once every step ended, so the timer waits for the controller', async () => {
    const rendered = bridgePlan('x').render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'ext-1', 'spec1', 2);
    const before = Number(root.read('var/lib/hostnet/backups/ext-1/deadline').split('\n')[0]);
    const runner = new HostScriptRunner(new RunTracker(SYSTEM_CLOCK));

    const seen = await runner.verify(new LocalHostSession(root.dir), undefined, 10_000, { runId: 'ext-1', extendSeconds: 30 });

    const after = Number(root.read('var/lib/hostnet/backups/ext-1/deadline').split('\n')[0]);
    expect(after).toBeGreaterThanOrEqual(before + 25);
    expect(seen.journal?.entries.map((e) => e.event)).toContain('extended');
    expect(seen.written.map((f) => [f.path, f.writtenSha256 === f.currentSha256])).toEqual([['/etc/network/interfaces', true]]);
    await sleep(3_000); // past the original 2 s deadline
    expect(root.state()).toMatchObject({ runId: 'ext-1', phase: 'armed' });
  });
});

