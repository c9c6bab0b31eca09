import { readFileSync } from 'node:fs';
import { encodeApplyPayload } from '@hostnet/apply';
import type { HostSession } from '@hostnet/ssh';
import type { ApplyStep, RenderedConfig } from '@hostnet/render';
import { parseFacts } from '../../../../libs/apply/src/parsers/facts.parser';
import { APPLY_SCRIPT } from '../../../../libs/apply/src/scripts/apply.script';
import { FACTS_SCRIPT } from '../../../../libs/apply/src/scripts/facts.script';
import { scriptCommand } from '../../../../libs/apply/src/scripts/script-command';

/**
 * Runs only the facts and apply round trips, as a worker that dies right after them (never verifies or confirms).
 * The restore re-runs `restoreSteps`, by default the run's own activation.
 */
export async function applyWithoutConfirm(
  session: HostSession,
  rendered: RenderedConfig,
  runId: string,
  specHash: string,
  seconds: number,
  owns: string[] = [],
  restoreSteps: ApplyStep[] = rendered.steps.filter((s) => s.phase === 'activate'),
): Promise<Record<string, unknown>> {
  const facts = parseFacts((await session.exec(scriptCommand('facts', FACTS_SCRIPT), { stdin: '', timeoutMs: 10_000 })).stdout);
  const payload = encodeApplyPayload({
    runId,
    specHash,
    rollbackSeconds: seconds,
    stepTimeoutSeconds: 10,
    seen: facts.seen ?? null,
    files: rendered.files,
    removes: rendered.removes,
    steps: rendered.steps,
    restoreSteps,
    undoSteps: rendered.undoSteps ?? [],
    owns,
  });
  const res = await session.exec(scriptCommand('apply', APPLY_SCRIPT), { stdin: payload, timeoutMs: 10_000 });
  return JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
}

/** Whether a process (the detached rollback timer) is still running; an unreaped zombie counts as gone. */
export function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
