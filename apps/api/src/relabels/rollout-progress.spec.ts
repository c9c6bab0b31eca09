import { EVIL, hostStep, midContractRollout, plannedRollout, STEP_AT } from '../dashboard/test-support/rollout-records';
import { rolloutProgress } from './rollout-progress';

describe('rollout progress', () => {
  it('counts the whole rollout and, with the plan, each wave in the order the waves run', () => {
    const { rollout, plan } = midContractRollout();
    const progress = rolloutProgress(rollout, plan);
    expect(progress).toMatchObject({ hosts: 4, expanded: 4, contracted: 1, failed: 1, inFlight: ['kvm2'] });
    expect(progress.waves!.map((w) => [w.kind, w.index, w.hosts.map((h) => h.hostId)])).toEqual(
      plan.waves.map((w, i) => [w.kind, i + 1, w.steps.map((s) => s.hostId)]),
    );
    expect(progress.waves!.map((w) => w.kind)).toEqual(['canary', 'wave', 'wave']);
    expect(progress.waves!.map((w) => w.counts)).toEqual([
      { hosts: 1, expanded: 1, contracted: 1, failed: 0, inFlight: 0 },
      { hosts: 2, expanded: 2, contracted: 0, failed: 1, inFlight: 1 },
      { hosts: 1, expanded: 1, contracted: 0, failed: 0, inFlight: 0 },
    ]);
  });

  it('says per host where it stands, its cluster, its last run and why it failed', () => {
    const { rollout, plan } = midContractRollout();
    rollout.hosts['host-1']!.steps.at(-1)!.runId = 'run-1';
    rollout.hosts['host-2']!.current!.runId = 'run-2';
    const hosts = Object.fromEntries(rolloutProgress(rollout, plan).waves!.flatMap((w) => w.hosts).map((h) => [h.hostId, h]));
    expect(hosts['host-1']).toEqual({ hostId: 'host-1', hostName: 'kvm1', clusterId: rollout.hosts['host-1']!.clusterId, state: 'contracted', layout: 'new', detail: '', lastRun: { runId: 'run-1', status: 'applied' } });
    expect(hosts['host-2']).toMatchObject({ state: 'in-flight', layout: 'both', detail: 'contract → new (maintenance)', lastRun: { runId: 'run-2', status: 'running' } });
    expect(hosts['host-2']!.failure).toBeUndefined();
    expect(hosts['host-3']).toMatchObject({ hostName: EVIL, state: 'failed', detail: 'contract', lastRun: { runId: 'run-3', status: 'rolled-back' }, failure: `verification failed: ${EVIL}` });
    expect(hosts['host-4']).toMatchObject({ state: 'expanded', layout: 'both', detail: '' });
    expect(hosts['host-4']!.lastRun).toBeUndefined();
    expect(new Set(Object.values(hosts).map((h) => h.clusterId)).size).toBe(2);
  });

  it('takes a failed host verified since off the failed count of its wave (the overall count keeps it: abortAfter counts it)', () => {
    const { rollout, plan } = midContractRollout();
    rollout.hosts['host-3']!.steps.push(hostStep({ result: 'verified', runId: 'run-3b', runStatus: 'applied', endedAt: STEP_AT }));
    rollout.hosts['host-3']!.layout = 'new';
    const progress = rolloutProgress(rollout, plan);
    expect(progress.failed).toBe(1);
    expect(progress.waves![1]!.counts).toMatchObject({ contracted: 1, failed: 0 });
    expect(progress.waves![1]!.hosts[1]).toMatchObject({ hostId: 'host-3', state: 'contracted', lastRun: { runId: 'run-3b', status: 'applied' } });
    expect(progress.waves![1]!.hosts[1]!.failure).toBeUndefined();
  });

  it('shows a planned rollout pending everywhere, and leaves the waves out without a plan', () => {
    const { rollout, plan } = plannedRollout();
    const progress = rolloutProgress(rollout, plan);
    expect(progress.waves!.flatMap((w) => w.hosts.map((h) => h.state))).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(rolloutProgress(rollout)).toEqual({ hosts: 4, expanded: 0, contracted: 0, failed: 0, inFlight: [] });
  });
});
