import { shellJoin, type HostSession } from '@hostnet/ssh';
import { assertWord } from '../payload/path-policy';
import { AGENT_RESTART_SCRIPT } from '../scripts/agent-restart.script';

export interface AgentRestartResult {
  /** `restarted` now, `already` for this spec before, or `failed`. */
  status: 'restarted' | 'already' | 'failed';
  exitCode: number;
  durationMs: number;
  detail: string;
}

/**
 * Restarts cloudstack-agent on a host whose run was verified and confirmed, so the agent maps the
 * bridges again (getPifs runs only at its start). One exec; once per spec hash (see the script).
 */
export async function restartCloudstackAgent(session: HostSession, specHash: string, timeoutMs = 120_000): Promise<AgentRestartResult> {
  assertWord(specHash, 'specHash');
  const started = Date.now();
  const res = await session.exec(shellJoin(['sh', '-c', AGENT_RESTART_SCRIPT, 'hostnet-agent-restart', specHash]), { timeoutMs });
  const out = res.stdout.trim().split('\n').pop() ?? '';
  const status = res.code !== 0 ? 'failed' : out === 'already' ? 'already' : 'restarted';
  return { status, exitCode: res.code, durationMs: Date.now() - started, detail: (res.code === 0 ? out : res.stderr.trim() || res.stdout.trim()).slice(-500) };
}
