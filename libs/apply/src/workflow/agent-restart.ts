import type { HostSession } from '@hostnet/ssh';
import { assertWord } from '../payload/path-policy';
import { AGENT_RESTART_SCRIPT } from '../scripts/agent-restart.script';
import { scriptCommand } from '../scripts/script-command';

/** `always`: a relabel step's restart, which the step needs; `if-running`: only an agent that runs holds a stale map. */
export type AgentRestartWhen = 'always' | 'if-running';

export interface AgentRestartResult {
  /** `restarted` now, `already` by an earlier delivery of the same job, `not-running` (left alone: `if-running`), or `failed`. */
  status: 'restarted' | 'already' | 'not-running' | 'failed';
  exitCode: number;
  durationMs: number;
  detail: string;
}

/**
 * Restarts cloudstack-agent on a host whose run was verified and confirmed, so the agent maps the
 * bridges again (getPifs runs only at its start). One exec; once per job, keyed on its `requestId` (see
 * the script): not on the spec hash, which a switch and its switch-back share.
 */
export async function restartCloudstackAgent(session: HostSession, requestId: string, when: AgentRestartWhen = 'always', timeoutMs = 120_000): Promise<AgentRestartResult> {
  assertWord(requestId, 'requestId');
  const started = Date.now();
  const res = await session.exec(scriptCommand('agent-restart', AGENT_RESTART_SCRIPT, requestId, when), { timeoutMs });
  const out = res.stdout.trim().split('\n').pop() ?? '';
  const status = res.code !== 0 ? 'failed' : out === 'already' ? 'already' : out === 'not-running' ? 'not-running' : 'restarted';
  return { status, exitCode: res.code, durationMs: Date.now() - started, detail: (res.code === 0 ? out : res.stderr.trim() || res.stdout.trim()).slice(-500) };
}
