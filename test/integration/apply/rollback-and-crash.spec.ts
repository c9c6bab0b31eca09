import { mkdirSync, writeFileSync } from 'node:fs';
import { readPidFile } from '../../support/host-files';
import { HostWorkflowService } from '@hostnet/apply';
import type { HostSession } from '@hostnet/ssh';
import { NEW_INTERFACES, bridgePlan } from './support/bridge-plan';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';
import { LocalHostSession } from './support/local-host-session';
import { alive, applyWithoutConfirm } from './support/host-scripts';

const FAST = { rollbackSeconds: 2, rollbackGraceMs: 1000, reconnectIntervalMs: 200, reconnectTimeoutMs: 4000, confirmMarginMs: 300 };
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('rollback timer and crash recovery on a local shell host', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  it('an armed run that is never confirmed is restored by the on-host timer and re-activated', async () => {
    const rendered = bridgePlan('x').render({} as never);
    const result = await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'orphan-1', 'spec1', 1);
    expect(result).toMatchObject({ status: 'armed', mechanism: 'setsid' });
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(root.state()).toMatchObject({ runId: 'orphan-1', phase: 'armed' });

    // The watcher re-reads the deadline every second: the restore ends within a few seconds of it.
    for (let i = 0; i < 100 && root.state().phase !== 'rolled-back'; i++) await sleep(100);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.exists('etc/network/interfaces.d/50-cloud-init')).toBe(false);
    expect(root.state()).toMatchObject({ runId: 'orphan-1', phase: 'rolled-back' });
    expect(root.activations()).toEqual(['ifup cloudbr0', 'ifup cloudbr0']);
    expect(root.read('.sim/live/addr.json')).toBe(root.read('.sim/states/old/addr.json'));
  });

  it('a config that cuts the management path is rolled back by the timer and reported after reconnecting', async () => {
    const plan = bridgePlan('job-cut', { interfaces: `${NEW_INTERFACES}# CUT-MGMT\n` });
    const outcome = await new HostWorkflowService(root.connect, FAST).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.reason).toMatch(/host unreachable after apply: .*ECONNREFUSED.*the on-host timer restored the previous configuration/);
    expect(outcome.reason).toMatch(/the new configuration most likely cut its management path; fix: check the profile's management bridge \S+ \(its VLAN and uplink\)/);
    expect(outcome.rollback).toMatchObject({ armedSeconds: 2, triggered: true, mechanism: 'setsid' });
    expect(outcome.rollback?.restoredAt).toMatch(/^\d{4}-/);
    // A rolled-back run never shows a passed verification; the restore's own evidence sits in rollback.
    expect(outcome.verification.ok).toBe(false);
    expect(outcome.rollback?.restoreChecks).toEqual([
      { name: 'files restored', ok: true, detail: '1 files match the pre-apply hashes' },
      { name: 'live state restored', ok: true, detail: 'matches the pre-apply live state' },
    ]);
    expect(outcome.roundTrips).toEqual({ facts: 2, apply: 1, verify: 0, confirm: 0, total: 3 });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.exists('.sim/unreachable')).toBe(false);
  });

  it("a first run's restore sets the bridge netfilter switches back: the drop-in it loaded is gone, its values were not", async () => {
    mkdirSync(root.path('proc/sys/net/bridge'), { recursive: true });
    const nf = (k: string) => root.path(`proc/sys/net/bridge/bridge-nf-call-${k}`);
    // no newline: what dash's byte-by-byte read gets from procfs, which answers a read past offset 0 with EOF
    writeFileSync(nf('iptables'), '1');
    writeFileSync(nf('ip6tables'), '1');
    // arptables absent: br_netfilter built without it; nothing is made up for it
    const plan = bridgePlan('job-nf', { interfaces: `${NEW_INTERFACES}# CUT-MGMT\n`, extraSteps: [{ name: 'sysctl-bridge', argv: ['sim-nf-off'], phase: 'activate' }] });
    const outcome = await new HostWorkflowService(root.connect, FAST).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(outcome.steps.map((s) => [s.name, s.exitCode])).toEqual([['ifup-cloudbr0', 0], ['sysctl-bridge', 0]]);
    expect([root.read('proc/sys/net/bridge/bridge-nf-call-iptables'), root.read('proc/sys/net/bridge/bridge-nf-call-ip6tables')]).toEqual(['1\n', '1\n']);
    expect(root.exists('proc/sys/net/bridge/bridge-nf-call-arptables')).toBe(false);
    const journal = root.read(`var/lib/hostnet/backups/${outcome.runId}/journal`);
    expect(journal).toMatch(/ restored-sysctl bridge-nf-call-iptables 1$/m);
    expect(journal).toMatch(/ restored-sysctl bridge-nf-call-ip6tables 1$/m);
    expect(journal).toMatch(/ restored$/m);
  });

  it('a restore leaves the bridge netfilter switches alone when the run had no sysctl-bridge step: whoever set them did', async () => {
    mkdirSync(root.path('proc/sys/net/bridge'), { recursive: true });
    writeFileSync(root.path('proc/sys/net/bridge/bridge-nf-call-iptables'), '1');
    // another step zeroes the switch during the run (as a container runtime might): not the run's change
    const plan = bridgePlan('job-nf-other', { interfaces: `${NEW_INTERFACES}# CUT-MGMT\n`, extraSteps: [{ name: 'other-step', argv: ['sim-nf-off'], phase: 'activate' }] });
    const outcome = await new HostWorkflowService(root.connect, FAST).run(plan);

    expect(outcome.status).toBe('rolled-back');
    expect(root.read('proc/sys/net/bridge/bridge-nf-call-iptables')).toBe('0\n');
    expect(root.read(`var/lib/hostnet/backups/${outcome.runId}/journal`)).not.toMatch(/restored-sysctl/);
  });

  it('a restore that could not undo a step is no clean rollback: the run is failed, naming what its journal says', async () => {
    const plan = bridgePlan('job-cut-undo', { interfaces: `${NEW_INTERFACES}# CUT-MGMT\n` });
    const rendered = plan.render({} as never);
    const outcome = await new HostWorkflowService(root.connect, FAST).run({ ...plan, render: () => ({ ...rendered, undoSteps: [{ name: 'undo-x', argv: ['sim-fail', 'undo'], phase: 'activate' }] }) });

    // files and live state compare equal: only the journal knows the undo step failed
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/previous configuration NOT fully restored \(see rollback.restoreChecks\)$/);
    expect(outcome.rollback?.restoreChecks).toEqual([
      { name: 'files restored', ok: true, detail: '1 files match the pre-apply hashes' },
      { name: 'live state restored', ok: true, detail: 'matches the pre-apply live state' },
      { name: 'restore journal', ok: false, detail: 'the restore could not undo: step undo-x 3' },
    ]);
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  });

  it('crash after arm, retried with the same spec: adopts the pending run (verify + confirm, no re-apply)', async () => {
    const rendered = bridgePlan('x').render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'crashed-1', 'spec1', 30);
    const timer = readPidFile(root.path('var/lib/hostnet/backups/crashed-1/timer.pid'));

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-retry'));

    expect(outcome.status).toBe('applied');
    expect(outcome.runId).toBe('crashed-1');
    expect(outcome.reason).toMatch(/adopted pending run crashed-1/);
    expect(outcome.roundTrips).toEqual({ facts: 1, apply: 0, verify: 1, confirm: 1, total: 3 });
    expect(root.state()).toMatchObject({ runId: 'crashed-1', phase: 'applied', appliedSpecHash: 'spec1' });
    expect(root.activations()).toEqual(['ifup cloudbr0']);
    await sleep(100);
    expect(alive(timer)).toBe(false);
  });

  it('adopting a pending run over a connection an earlier run kept: verify and confirm go over one opened now', async () => {
    const rendered = bridgePlan('x').render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'crashed-3', 'spec1', 30);
    const kept = new CountingSession(new LocalHostSession(root.dir));
    let connects = 0;
    const connect = () => {
      connects += 1;
      return root.connect();
    };
    const warm = { take: () => kept, park: () => false };

    const outcome = await new HostWorkflowService(connect, FAST, undefined, warm).run(bridgePlan('job-kept'));

    expect(outcome.reason).toMatch(/adopted pending run crashed-3/);
    expect(kept.commands).toEqual(['facts']); // a kept connection may have outlived what the run changed
    expect(connects).toBe(1);
    expect(kept.closed).toBe(true);
  });

  it('crash after arm, retried with another spec: waits for the timer to restore, then applies fresh', async () => {
    const rendered = bridgePlan('x', { interfaces: `${NEW_INTERFACES}# old spec\n` }).render({} as never);
    await applyWithoutConfirm(new LocalHostSession(root.dir), rendered, 'crashed-2', 'spec0', 1);

    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-new', { specHash: 'spec2' }));

    expect(outcome.status).toBe('applied');
    expect(outcome.runId).toMatch(/^job-new-/);
    expect(outcome.roundTrips).toEqual({ facts: 2, apply: 1, verify: 1, confirm: 1, total: 5 });
    expect(root.read('var/lib/hostnet/backups/crashed-2/restore.log')).toMatch(/rolled back/);
    // the backup of the fresh run holds the OLD file: the crashed run was fully undone first
    expect(root.read(`var/lib/hostnet/backups/${outcome.runId}/files/etc/network/interfaces`)).toBe(OLD_INTERFACES);
    expect(root.read('etc/network/interfaces')).toBe(NEW_INTERFACES);
    expect(root.state()).toMatchObject({ runId: outcome.runId, phase: 'applied', appliedSpecHash: 'spec2' });
  });

  it('a payload planned from facts the host no longer matches is refused as stale and changes nothing', async () => {
    // Worker A lost its BullMQ job after reading facts; worker B ran the host meanwhile. A's apply then arrives.
    const B_INTERFACES = `${NEW_INTERFACES}# run B\n`;
    let outcomeB: Awaited<ReturnType<HostWorkflowService['run']>> | undefined;
    const connectA = async (): Promise<HostSession> => {
      const session = await root.connect();
      return {
        exec: async (command, options) => {
          if (!outcomeB && command.includes('hostnet-apply')) {
            outcomeB = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-b', { interfaces: B_INTERFACES, specHash: 'spec-b' }));
          }
          return session.exec(command, options);
        },
        close: () => session.close(),
      };
    };

    const outcomeA = await new HostWorkflowService(connectA, FAST).run(bridgePlan('job-a', { specHash: 'spec-a' }));

    expect(outcomeB?.status).toBe('applied');
    expect(outcomeA.status).toBe('failed');
    expect(outcomeA.reason).toBe(
      `the host changed after this run read its facts (they showed no hostnet run, the host now shows run ${outcomeB?.runId} applied): nothing was applied; trigger the host again, its next run reads fresh facts`,
    );
    expect(root.read('etc/network/interfaces')).toBe(B_INTERFACES);
    expect(root.state()).toMatchObject({ runId: outcomeB?.runId, phase: 'applied', appliedSpecHash: 'spec-b' });
    expect(root.activations()).toEqual(['ifup cloudbr0']);
    expect(root.read(`var/lib/hostnet/backups/${outcomeA.runId}/journal`)).toMatch(/ failed stale\n/);
  });

  it("sends state.json's run and phase as the scripts read them: one the parser does not know is applied over, never stale forever", async () => {
    // a phase no hostnet script writes: the facts parser leaves the state out, the scripts still read it
    mkdirSync(root.path('var/lib/hostnet'), { recursive: true });
    writeFileSync(root.path('var/lib/hostnet/state.json'), '{"runId":"job-old-1","specHash":"spec0","phase":"half-written"}\n');
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-after'));
    expect(outcome.status).toBe('applied');
    expect(root.state()).toMatchObject({ runId: outcome.runId, phase: 'applied' });
  });

  it('refuses, naming the file, a state.json whose run id no hostnet script would write', async () => {
    mkdirSync(root.path('var/lib/hostnet'), { recursive: true });
    writeFileSync(root.path('var/lib/hostnet/state.json'), '{"runId":"job 1; reboot","phase":"applied"}\n');
    const outcome = await new HostWorkflowService(root.connect, FAST).run(bridgePlan('job-odd'));
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe(
      'the host\'s /var/lib/hostnet/state.json is not as hostnet writes it (run "job 1; reboot", phase "applied"); nothing was applied; fix: inspect it, and move it aside if no hostnet run is in progress there',
    );
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.activations()).toEqual([]);
  });

  it('the apply script refuses a second run while one is armed', async () => {
    const rendered = bridgePlan('x').render({} as never);
    const session = new LocalHostSession(root.dir);
    await applyWithoutConfirm(session, rendered, 'first', 'spec1', 30);
    const second = await applyWithoutConfirm(session, rendered, 'second', 'spec1', 30);
    expect(second).toEqual({ status: 'busy', runId: 'first', phase: 'armed' });
    expect(root.state()).toMatchObject({ runId: 'first', phase: 'armed' });
  });
});

/** A session as the worker keeps one between runs, counting the scripts run on it. */
class CountingSession implements HostSession {
  closed = false;
  readonly commands: string[] = [];
  constructor(private readonly inner: HostSession) {}
  exec(command: string, options?: Parameters<HostSession['exec']>[1]): ReturnType<HostSession['exec']> {
    this.commands.push(/hostnet-(\w+)/.exec(command)?.[1] ?? command.slice(0, 20));
    return this.inner.exec(command, options);
  }
  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}
