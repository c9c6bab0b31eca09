import { type AgentRestartResult, type AgentRestartWhen, type ApplyOutcome, restartCloudstackAgent } from '@hostnet/apply';
import { HostnetError, type ApplyOutcomeSummary, type ConfigureHostJobData } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';

/**
 * The agent restart of a relabel step runs AFTER the network run is verified and confirmed, outside
 * its transaction, and a failed restart does not roll the network back:
 * - a restart cannot be undone by the rollback: the restore puts files and links back, but an agent that
 *   already restarted keeps the bridges it mapped until it restarts again, so a restart inside the
 *   transaction would make every rollback need a second, conditional restart;
 * - a restart fails for reasons that are not the network's (libvirt, the agent's own config), and
 *   rolling back a verified layout that VMs may already use (the expand layout) would hurt more;
 * - so the agent only ever (re)starts on a layout that is confirmed; a failed restart is retried by the
 *   job's next attempt (the network part is a no-op, the restart runs again: the marker is per job).
 */
export function wantsAgentRestart(job: ConfigureHostJobData, outcome: ApplyOutcome): boolean {
  return job.relabel?.restartAgent === true && job.mode === 'apply' && (outcome.status === 'applied' || outcome.status === 'no-op');
}

/**
 * Outside relabels, an applied run that changed the agent's bridge → pif map (agent-bridge-map.ts) restarts an
 * agent that runs, the way CloudStack asks ("Reinitialize agent after network names are setup"). A retry's facts
 * already show the new bridges, so it cannot tell the map is stale: before such a run applies anything, the worker
 * records on the job that it owes the restart (owesAgentRestart, ConfigureHostJobData.agentRestartOwed), and an
 * attempt of a job that owes one restarts the agent whether its own run applied or was a no-op (the attempt that
 * died after the confirm, or before it and adopted now). The restart is keyed on the requestId, so one the earlier
 * attempt ran answers `already`. A no-op of a job that owes nothing restarts nothing.
 */
export function agentRestartForMap(job: ConfigureHostJobData, outcome: ApplyOutcome, changedBridges: readonly string[], owed = job.agentRestartOwed === true): AgentRestartWhen | undefined {
  if (!isPlainApply(job)) return undefined;
  if (outcome.status === 'applied' && changedBridges.length > 0) return 'if-running';
  return owed && (outcome.status === 'applied' || outcome.status === 'no-op') ? 'if-running' : undefined;
}

/** Whether this render must record the restart on the job before the run applies: a map change not yet owed. */
export function owesAgentRestart(job: ConfigureHostJobData, changedBridges: readonly string[]): boolean {
  return isPlainApply(job) && changedBridges.length > 0 && job.agentRestartOwed !== true;
}

/** An apply that is not a relabel step: relabel steps restart the agent by their own rule (wantsAgentRestart). */
function isPlainApply(job: ConfigureHostJobData): boolean {
  return !job.relabel && job.mode === 'apply';
}

/** What a dry-run lists for the restart agentRestartForMap would ask of the apply (if the agent runs then). */
export const PLANNED_AGENT_RESTART = { name: 'agent-restart', argv: ['systemctl', 'restart', 'cloudstack-agent'], phase: 'agent' } as const;

/** A dry-run's plan with the agent's restart when the apply it previews would restart it. */
export function withPlannedAgentRestart(summary: ApplyOutcomeSummary, job: ConfigureHostJobData, changedBridges: readonly string[]): ApplyOutcomeSummary {
  if (summary.status !== 'dry-run' || !summary.planned?.length || job.relabel || changedBridges.length === 0) return summary;
  return { ...summary, planned: [...summary.planned, { ...PLANNED_AGENT_RESTART, argv: [...PLANNED_AGENT_RESTART.argv] }] };
}

/** A failed agent restart while the job has attempts left: transient, so BullMQ retries the job. */
export class AgentRestartFailedError extends HostnetError {
  readonly permanent = false;
}

/**
 * Restarts the agent once per job (keyed on its requestId: a switch and its switch-back share a spec hash), on
 * `session` when the run left one open (its confirmed connection, HostWorkflowPlan.afterRun; left open), else on a
 * fresh connection; a lost connection is a failed restart, never a thrown job.
 */
export async function runAgentRestart(
  connect: () => Promise<HostSession>,
  job: Pick<ConfigureHostJobData, 'requestId'>,
  when: AgentRestartWhen = 'always',
  session?: HostSession,
): Promise<AgentRestartResult> {
  const started = Date.now();
  let opened: HostSession | undefined;
  try {
    return await restartCloudstackAgent(session ?? (opened = await connect()), job.requestId, when);
  } catch (err) {
    return { status: 'failed', exitCode: -1, durationMs: Date.now() - started, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    await opened?.close().catch(() => undefined);
  }
}

/**
 * A restart the worker did not run because agent.properties names a device the host does not have after the
 * run: the agent would not start again, so a restart would stop a working agent (agent-devices.ts).
 */
export interface SkippedAgentRestart {
  status: 'skipped';
  exitCode: 0;
  durationMs: 0;
  detail: string;
}

export function skippedAgentRestart(detail: string): SkippedAgentRestart {
  return { status: 'skipped', exitCode: 0, durationMs: 0, detail };
}

const STEP_NAMES: Record<AgentRestartResult['status'] | 'skipped', string> = {
  restarted: 'agent-restart',
  failed: 'agent-restart',
  already: 'agent-restart-already-done',
  'not-running': 'agent-not-running',
  skipped: 'agent-restart-skipped',
};

/**
 * The run's summary with the restart as its last step. A failed restart throws AgentRestartFailedError
 * while attempts remain; on the last attempt the run keeps its status (the network is applied and
 * confirmed) and says `agentRestart: failed`, which a rollout counts as a failed host step.
 */
export function withAgentRestart(summary: ApplyOutcomeSummary, restart: AgentRestartResult | SkippedAgentRestart | undefined, lastAttempt: boolean): ApplyOutcomeSummary {
  if (!restart) return summary;
  const steps = [...(summary.steps ?? []), { name: STEP_NAMES[restart.status], durationMs: restart.durationMs, exitCode: restart.exitCode }];
  if (restart.status === 'skipped') {
    const reason = `${summary.status}, agent not restarted: ${restart.detail}`;
    return { ...summary, steps, agentRestart: { status: 'skipped', detail: restart.detail }, reason: summary.reason ? `${summary.reason}; ${reason}` : reason };
  }
  if (restart.status !== 'failed') return { ...summary, steps, agentRestart: { status: restart.status } };
  if (!lastAttempt) throw new AgentRestartFailedError(`the network was applied and confirmed, but the cloudstack-agent restart failed: ${restart.detail}; the next attempt restarts it again`);
  const reason = `${summary.status}, agent restart failed: ${restart.detail} (the network is applied and confirmed; the agent still maps the bridges it had)`;
  return { ...summary, steps, agentRestart: { status: 'failed', detail: restart.detail }, reason: summary.reason ? `${summary.reason}; ${reason}` : reason };
}
