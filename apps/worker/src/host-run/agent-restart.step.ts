import { type AgentRestartResult, type ApplyOutcome, restartCloudstackAgent } from '@hostnet/apply';
import type { ApplyOutcomeSummary, ConfigureHostJobData } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';

/**
 * The agent restart of a relabel step runs AFTER the network run is verified and confirmed, outside
 * its transaction, and a failed restart does not roll the network back:
 * - a restart cannot be undone by the rollback: the restore puts files and links back, but an agent that
 *   already restarted keeps the bridges it mapped until it restarts again, so a restart inside the
 *   transaction would make every rollback need a second, conditional restart;
 * - a restart fails for reasons that are not the network's (libvirt, the agent's own config), and
 *   rolling back a verified layout that VMs may already use (the expand layout) would hurt more;
 * - so the agent only ever (re)starts on a layout that is confirmed, and a failed restart is reported as
 *   a failed, retryable run: the retry is a network no-op and restarts again (once per spec, by marker).
 */
export function wantsAgentRestart(job: ConfigureHostJobData, outcome: ApplyOutcome): boolean {
  return job.relabel?.restartAgent === true && job.mode === 'apply' && (outcome.status === 'applied' || outcome.status === 'no-op');
}

/** Restarts the agent on a fresh connection; a lost connection is a failed restart, never a thrown job. */
export async function runAgentRestart(connect: () => Promise<HostSession>, specHash: string): Promise<AgentRestartResult> {
  const started = Date.now();
  let session: HostSession | undefined;
  try {
    session = await connect();
    return await restartCloudstackAgent(session, specHash);
  } catch (err) {
    return { status: 'failed', exitCode: -1, durationMs: Date.now() - started, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/** The run's summary with the restart as its last step; a failed restart fails the run (retryable). */
export function withAgentRestart(summary: ApplyOutcomeSummary, restart: AgentRestartResult | undefined): ApplyOutcomeSummary {
  if (!restart) return summary;
  const steps = [...(summary.steps ?? []), { name: restart.status === 'already' ? 'agent-restart-already-done' : 'agent-restart', durationMs: restart.durationMs, exitCode: restart.exitCode }];
  if (restart.status !== 'failed') return { ...summary, steps };
  const reason = `the network was applied and confirmed, but the cloudstack-agent restart failed: ${restart.detail}; a retry restarts it again (its network part is a no-op)`;
  return { ...summary, steps, status: 'failed', permanent: false, reason: summary.reason ? `${summary.reason}; ${reason}` : reason };
}
