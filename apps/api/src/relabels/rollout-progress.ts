import type { RolloutCounts, RolloutHostProgress, RolloutProgress, RolloutRunRef, RolloutWaveProgress } from '@hostnet/contracts';
import type { RelabelPlan } from '@hostnet/relabel';
import type { RelabelRollout, RolloutHost } from './relabel-rollout.types';
import { rolloutFailures, type RolloutFailure } from './rollout-failures';

export type { RolloutProgress };

/**
 * How far a rollout got, overall and (plan given) per wave and host in the order the waves run: what
 * GET /relabels/:id, the dashboard and `hostnet relabel status` show. Expanded: on both bridges or
 * already on the new one; contracted: on the new one only.
 */
export function rolloutProgress(rollout: RelabelRollout, plan?: Pick<RelabelPlan, 'waves'>, failures: RolloutFailure[] = rolloutFailures(rollout)): RolloutProgress {
  const hosts = Object.values(rollout.hosts);
  const overall = {
    hosts: hosts.length,
    expanded: hosts.filter((h) => h.layout !== 'old').length,
    contracted: hosts.filter((h) => h.layout === 'new').length,
    failed: rollout.failedHosts.length,
    inFlight: hosts.filter((h) => h.current).map((h) => h.hostName),
  };
  if (!plan) return overall;
  const failed = new Map(failures.filter((f) => !f.recovered).map((f) => [f.hostId, f]));
  const waves = plan.waves.map((wave, i): RolloutWaveProgress => {
    const inWave = wave.steps.flatMap((s) => {
      const host = rollout.hosts[s.hostId];
      return host ? [hostProgress(host, failed.get(s.hostId))] : [];
    });
    return { kind: wave.kind, index: i + 1, counts: countsOf(inWave), hosts: inWave };
  });
  return { ...overall, waves };
}

function hostProgress(host: RolloutHost, failure: RolloutFailure | undefined): RolloutHostProgress {
  const lastRun = lastRunOf(host);
  const base = {
    hostId: host.hostId,
    hostName: host.hostName,
    clusterId: host.clusterId,
    layout: host.layout,
    ...(host.unverified ? { unverified: host.unverified } : {}),
    ...(lastRun ? { lastRun } : {}),
  };
  if (host.current) {
    const c = host.current;
    return { ...base, state: 'in-flight', detail: `${c.purpose} → ${c.layout}${c.stage ? ` (${c.stage})` : ''}` };
  }
  if (failure) return { ...base, state: 'failed', detail: failure.step, failure: failure.reason };
  if (host.layout === 'new') return { ...base, state: 'contracted', detail: '' };
  if (host.layout === 'both') return { ...base, state: 'expanded', detail: '' };
  return { ...base, state: host.steps.length > 0 ? 'restored' : 'pending', detail: '' };
}

/** The run of the newest step that has one; the step in flight's run is `running` until it ends. */
function lastRunOf(host: RolloutHost): RolloutRunRef | undefined {
  const step = [...host.steps, ...(host.current ? [host.current] : [])].reverse().find((s) => s.runId);
  if (!step?.runId) return undefined;
  return { runId: step.runId, status: step.runStatus ?? (step === host.current ? 'running' : (step.result ?? 'unknown')) };
}

function countsOf(hosts: RolloutHostProgress[]): RolloutCounts {
  return {
    hosts: hosts.length,
    expanded: hosts.filter((h) => h.layout !== 'old').length,
    contracted: hosts.filter((h) => h.layout === 'new').length,
    failed: hosts.filter((h) => h.state === 'failed').length,
    inFlight: hosts.filter((h) => h.state === 'in-flight').length,
  };
}
