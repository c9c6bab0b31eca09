import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnector } from '@hostnet/ssh';
import type { SimulatedKvmHost } from '@hostnet/simulator/kvm-host';
import { HostRunRegistry } from '../../apps/api/src/runs/host-run.registry';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { outsideEtc, readPidFile, readRunState, snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';
import { bridgePlan } from '../integration/apply/support/bridge-plan';
import { alive, applyWithoutConfirm } from '../integration/apply/support/host-scripts';

const STUCK_RUN = 'job-stuck-e2e';

/**
 * A run stuck on a host (armed, its worker and its rollback timer gone) is rolled back by an
 * operator through api; the result is recorded and never enables the host.
 */
describe('an operator resolves a stuck run', () => {
  let h: PipelineHarness;
  const timers: number[] = [];

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, personas: ['debian12'], env: { POLL_INTERVAL_MS: '0' } });
  }, 60_000);
  afterAll(async () => {
    timers.forEach((pid) => alive(pid) && process.kill(-pid, 'SIGKILL'));
    await h?.stop();
  });

  const resolve = (hostId: string, body: unknown) => h.request<{ jobId: string; runId: string; message?: string }>('POST', `/hosts/${hostId}/resolve`, body);
  /** The resolve's answer, as `hostnet resolve --wait` reads it. */
  const resolveRecord = (hostId: string, runId: string) =>
    h.until(`the resolve ${runId} answered`, async () => {
      const answer = await h.request<HostStatusRecord>('GET', `/hosts/${hostId}/resolves/${runId}`);
      return answer.status === 200 ? answer.body : undefined;
    });

  /** Runs the apply round trip over SSH as a worker that dies right after it, then kills the host's timer. */
  const makeStuckRun = async (kvm: SimulatedKvmHost) => {
    const session = await new SshConnector().connect(
      { host: kvm.endpoint.host, port: kvm.endpoint.port, username: 'root', privateKeyPath: h.env.HOSTNET_SSH_KEY!, useSudo: false },
      { knownHostsPath: h.env.HOSTNET_KNOWN_HOSTS!, trustOnFirstUse: false, connectTimeoutMs: 5_000, commandTimeoutMs: 30_000 },
    );
    try {
      expect(await applyWithoutConfirm(session, bridgePlan('x').render({} as never), STUCK_RUN, 'spec-stuck', 600)).toMatchObject({ status: 'armed' });
    } finally {
      await session.close();
    }
    const timer = readPidFile(join(kvm.rootDir, 'var/lib/hostnet/backups', STUCK_RUN, 'timer.pid'));
    timers.push(timer);
    process.kill(-timer, 'SIGKILL');
    await h.until('the rollback timer gone', async () => (alive(timer) ? undefined : true));
  };

  it('rolls back an armed run whose timer died: files back byte for byte, the operator in the history, no enable', async () => {
    const { kvm, id, record } = h.host('kvm1');
    const etcBefore = snapshotFiles(kvm.rootDir, outsideEtc);
    const liveBefore = kvm.readLiveState();
    const resourceState = record.resourceState;
    await makeStuckRun(kvm);
    expect(snapshotChanges(etcBefore, snapshotFiles(kvm.rootDir, outsideEtc), true)).toEqual(['content changed etc/network/interfaces']);
    expect(readRunState(kvm.rootDir)).toMatchObject({ runId: STUCK_RUN, phase: 'armed' });

    const accepted = await resolve(id, { action: 'rollback', reason: 'worker died, timer gone (INC-7)', requestedBy: 'alice' });
    expect(accepted.status).toBe(202);
    expect(accepted.body.jobId).toBe(`resolve-${id}`);
    // The resolve holds the host: a configure asked meanwhile neither starts nor joins it.
    const during = await h.request<{ message: string }>('POST', `/hosts/${id}/configure`, { requestedBy: 'e2e-during-resolve' });
    expect(during.status).toBe(409);
    expect(during.body.message).toMatch(/an operator's resolve of this host \(run .*\) is in flight; configure once it has ended/);
    const entry: HostStatusRecord = await resolveRecord(id, accepted.body.runId);
    // a rollback changed the host: its answer is in its history too
    expect((await h.view(id))!.history[0]).toEqual(entry);

    expect(snapshotChanges(etcBefore, snapshotFiles(kvm.rootDir, outsideEtc), true)).toEqual([]);
    expect(kvm.readLiveState()).toEqual(liveBefore);
    expect(readRunState(kvm.rootDir)).toMatchObject({ runId: STUCK_RUN, phase: 'rolled-back' });
    expect(entry).toMatchObject({
      phase: 'resolved',
      jobId: `resolve-${id}`,
      specHash: 'spec-stuck',
      trigger: { kind: 'operator', by: 'alice' },
      resolve: {
        action: 'rollback',
        reason: 'worker died, timer gone (INC-7)',
        outcome: { status: 'rolled-back', runId: STUCK_RUN, phaseBefore: 'armed', phaseAfter: 'rolled-back', mode: 'now' },
      },
    });
    const outcome = entry.resolve!.outcome;
    expect(outcome.restoredFiles).toEqual([{ path: '/etc/network/interfaces', ok: true, detail: 'matches the backup' }]);
    expect(outcome.journal?.[0]).toMatchObject({ event: 'restore-start', args: ['now', 'operator:', 'alice:', 'worker', 'died,', 'timer', 'gone', '(INC-7)'] });
    expect(outcome.journal?.at(-1)?.event).toBe('restored');
    expect((await h.view(id))!.latest).toMatchObject({ phase: 'resolved', runId: accepted.body.runId });

    // Never enabled, and the host is free again for configure runs.
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(h.zone.cloudstack.state.hosts.find((x) => x.id === id)!.resourceState).toBe(resourceState);
    expect(await h.api.get(HostRunRegistry).current(id)).toBeUndefined();
  }, 60_000);

  it('is refused (409) while a configure run is in flight, and on a configured host changes nothing', async () => {
    const { kvm, id } = h.host('kvm2');
    expect((await h.configure(id, { requestedBy: 'e2e-resolve' })).body.enqueued).toBe(true);
    const refused = await resolve(id, { action: 'rollback', reason: 'looks stuck', requestedBy: 'bob' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(new RegExp(`host ${id} has a run in flight \\(apply, run .*\\): it ends by itself`));
    await h.waitForPhase(id, 'enabled', 'e2e-resolve');
    expect(readRunState(kvm.rootDir)?.phase).toBe('applied');

    const filesBefore = snapshotFiles(kvm.rootDir);
    const mutationsBefore = h.zone.cloudstack.calls.mutations().length;
    const viewBefore = await h.view(id);
    const accepted = await resolve(id, { action: 'rollback', reason: 'double check', requestedBy: 'bob' });
    expect(accepted.status).toBe(202);
    const entry = await resolveRecord(id, accepted.body.runId);

    expect(entry.resolve?.outcome).toMatchObject({ status: 'nothing-to-resolve', phaseBefore: 'applied', phaseAfter: 'applied' });
    expect(entry.resolve?.outcome.detail).toMatch(/is applied: nothing is stuck, nothing was changed/);
    expect(snapshotChanges(filesBefore, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(existsSync(join(kvm.rootDir, 'var/lib/hostnet/backups', readRunState(kvm.rootDir)!.runId, 'restore-operator.log'))).toBe(false);
    expect(h.zone.cloudstack.calls.mutations()).toHaveLength(mutationsBefore);
    // Nothing to resolve changes nothing in hostnet either: the host's status and history are as they were.
    const viewAfter = await h.view(id);
    expect([viewAfter!.latest, viewAfter!.history]).toEqual([viewBefore!.latest, viewBefore!.history]);
    expect(viewAfter!.latest.phase).toBe('enabled');
  }, 60_000);

  it('names the field and the fix for a bad request', async () => {
    const { id } = h.host('kvm1');
    const bad = await h.request<{ message: string[] }>('POST', `/hosts/${id}/resolve`, { action: 'confirm' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual([
      "body.action: must be 'rollback' (confirm is not offered: a run nobody verified is never kept)",
      'body.reason: is required: say why the run is stuck, e.g. "worker died, timer gone"',
    ]);
    expect((await h.request('POST', '/hosts/no-such-host/resolve', { action: 'rollback', reason: 'stuck run' })).status).toBe(404);
  });
});
