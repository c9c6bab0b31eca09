import type { HostSession } from '@hostnet/ssh';
import { assertWord } from '../payload/path-policy';
import { AGENT_RESTART_SCRIPT } from '../scripts/agent-restart.script';
import { scriptCommand } from '../scripts/script-command';

export interface AgentRestartResult {
  /** `restarted` now, `already` by an earlier delivery of the same job, or `failed`. */
  status: 'restarted' | 'already' | 'failed';
  exitCode: number;
  durationMs: number;
  detail: string;
}

/**
 * Restarts cloudstack-agent on a host whose run was verified and confirmed, so the agent maps the
 * bridges again (getPifs runs only at its start). One exec; once per job, keyed on its `requestId` (see
 * the script): not on the spec hash, which a switch and its switch-back share.
 */
export async function restartCloudstackAgent(session: HostSession, requestId: string, timeoutMs = 120_000): Promise<AgentRestartResult> {
  assertWord(requestId, 'requestId');
  const started = Date.now();
  const res = await session.exec(scriptCommand('agent-restart', AGENT_RESTART_SCRIPT, requestId), { timeoutMs });
  const out = res.stdout.trim().split('\n').pop() ?? '';
  const status = res.code !== 0 ? 'failed' : out === 'already' ? 'already' : 'restarted';
  return { status, exitCode: res.code, durationMs: Date.now() - started, detail: (res.code === 0 ? out : res.stderr.trim() || res.stdout.trim()).slice(-500) };
}
