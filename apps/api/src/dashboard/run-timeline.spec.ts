import type { HostStatusRecord } from '../hosts/host-status.types';
import { runsOf } from './run-timeline';

const base = { hostId: 'h1', hostName: 'kvm1', zoneId: 'z1' };
const trigger = { kind: 'operator' as const, by: 'alice' };
const rec = (phase: HostStatusRecord['phase'], at: string, fields: Partial<HostStatusRecord> = {}): HostStatusRecord => ({ ...base, phase, at: `2025-01-01T00:00:${at}Z`, ...fields });

describe('runsOf', () => {
  it('pieces each run together from its records: trigger → queued → worker stages → verified → enabled', () => {
    const outcome = { status: 'applied' as const, durationsMs: { facts: 80, render: 0, apply: 2400, verify: 900 }, roundTrips: { facts: 1, apply: 2 } };
    const history = [
      rec('enabled', '10.000', { runId: 'r2', trigger, outcome, cloudstackCalls: [{ command: 'updateHost', at: 'x', ok: true }] }),
      rec('verified', '06.000', { runId: 'r2', trigger, outcome, reason: 'enabling failed, will retry: 503', cloudstackCalls: [{ command: 'updateHost', at: 'w', ok: false, error: '503' }] }),
      rec('verified', '05.000', { runId: 'r2', trigger, outcome }),
      rec('applying', '01.500', { runId: 'r2', trigger }),
      rec('queued', '01.000', { runId: 'r2', trigger }),
      rec('failed', '00.000', { reason: 'spec invalid' }),
    ].reverse().reverse(); // stored newest first
    const [latest, older] = runsOf(history);
    expect(latest!.runId).toBe('r2');
    expect(latest!.phase).toBe('enabled');
    expect(latest!.stages.map((s) => s.name)).toEqual(['trigger', 'queued', 'taken by a worker', 'facts', 'apply', 'verify', 'verified', 'enabled in CloudStack']);
    expect(latest!.stages.find((s) => s.name === 'taken by a worker')).toMatchObject({ durationMs: 500, detail: 'waited in queue' });
    expect(latest!.stages.find((s) => s.name === 'apply')).toMatchObject({ durationMs: 2400, detail: '2 round trips' });
    expect(latest!.stages.find((s) => s.name === 'enabled in CloudStack')).toMatchObject({ durationMs: 5000, detail: '2 attempts, retried with backoff' });
    expect(latest!.enableAttempts).toBe(2);
    expect(latest!.cloudstackCalls.map((c) => c.ok)).toEqual([false, true]);
    expect(older).toMatchObject({ phase: 'failed', reason: 'spec invalid', stages: [{ name: 'failed' }] });
  });

  it('says a host CloudStack showed Enabled already needed no call, not that it was enabled', () => {
    const outcome = { status: 'no-op' as const };
    const [run] = runsOf([rec('enabled', '03.000', { runId: 'r4', outcome }), rec('no-op', '02.000', { runId: 'r4', outcome }), rec('queued', '01.000', { runId: 'r4' })]);
    expect(run!.stages.map((s) => s.name)).toEqual(['queued', 'no-op', 'already Enabled in CloudStack']);
    expect(run!.stages.at(-1)).toMatchObject({ durationMs: 1000, detail: 'no call needed' });
  });

  it('shows a relabel step\'s enabled record as the host seen back by its rollout, not an Enable hostnet sent', () => {
    const relabel = { rolloutId: 'rl-1', layout: 'new' as const, restartAgent: true };
    const outcome = { status: 'applied' as const };
    const [run] = runsOf([
      rec('enabled', '09.000', { runId: 'r3', relabel, outcome }),
      rec('verified', '05.000', { runId: 'r3', relabel, outcome }),
      rec('queued', '01.000', { runId: 'r3', relabel }),
    ]);
    expect(run!.stages.map((s) => s.name)).toEqual(['queued', 'verified', 'back Up and Enabled']);
    expect(run!.stages.at(-1)).toMatchObject({ durationMs: 4000, detail: 'seen by the rollout' });
  });

  it("names a dry-run's run by what it found, not by the phase its host kept (no enable stage)", () => {
    const dry = { status: 'dry-run' as const, durationsMs: { facts: 90 } };
    const unreachable = { status: 'failed' as const, reason: 'ssh: connect ECONNREFUSED' };
    const history = [
      rec('enabled', '09.000', { runId: 'r4', trigger, outcome: unreachable, dryRun: true, reason: 'dry-run did not complete (failed): ssh: connect ECONNREFUSED' }),
      rec('queued', '08.000', { runId: 'r4', trigger, dryRun: true }),
      rec('enabled', '05.000', { runId: 'r3', trigger, outcome: dry, dryRun: true, drifted: true }),
      rec('queued', '04.000', { runId: 'r3', trigger, dryRun: true }),
    ];
    const [failed, found] = runsOf(history);
    expect(found).toMatchObject({ runId: 'r3', phase: 'dry-run' });
    expect(found!.stages.map((s) => s.name)).toEqual(['trigger', 'queued', 'facts', 'dry-run']);
    expect(failed).toMatchObject({ runId: 'r4', phase: 'failed', reason: expect.stringMatching(/^dry-run did not complete/) });
    expect(failed!.stages.map((s) => s.name)).toEqual(['trigger', 'queued', 'failed']);
    // a dry-run still queued (its bookkeeping is marked dryRun) reads as queued, not failed
    expect(runsOf([rec('queued', '10.000', { runId: 'r5', trigger, dryRun: true })])[0]).toMatchObject({ runId: 'r5', phase: 'queued' });
  });
});
