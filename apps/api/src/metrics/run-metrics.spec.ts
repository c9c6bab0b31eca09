import { HostnetMetrics } from '@hostnet/platform';
import { RunMetrics } from './run-metrics';

describe('RunMetrics: rollbacks', () => {
  const rollbacksOf = async (metrics: HostnetMetrics): Promise<string | undefined> =>
    (await metrics.registry.metrics()).match(/^hostnet_rollbacks_total\{target="netplan-linux",app="api"\} (\d+)$/m)?.[1];

  it('counts a restore the host was seen to finish, not one presumed while the host was unreachable', async () => {
    const metrics = new HostnetMetrics('api');
    const runs = new RunMetrics(metrics);
    runs.observe({ status: 'failed', target: 'netplan-linux', rollback: { armedSeconds: 90, triggered: true, unconfirmed: 'host unreachable' } });
    expect(await rollbacksOf(metrics)).toBe('0');
    runs.observe({ status: 'failed', target: 'netplan-linux', rollback: { armedSeconds: 90, triggered: true, restoreChecks: [{ name: 'files restored', ok: true }] } });
    expect(await rollbacksOf(metrics)).toBe('1');
  });

  it('says in its help why a run counts under target "unknown": it failed before it rendered (SSH), no OS detected', async () => {
    const metrics = new HostnetMetrics('api');
    new RunMetrics(metrics).observe({ status: 'failed', reason: 'ssh: connect ECONNREFUSED' });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^# HELP hostnet_host_runs_total .*target "unknown": failed before it rendered, e\.g\. the host unreachable over SSH, so no OS was detected/m);
    expect(text).toMatch(/^hostnet_host_runs_total\{status="failed",target="unknown",app="api"\} 1$/m);
  });
});
