import { isValidIpv4 } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';
import type { HostFacts } from '../domain/host-facts';
import { parseFacts } from '../parsers/facts.parser';
import {
  type ApplyScriptResult,
  type ConfirmScriptResult,
  type VerifyScriptResult,
  parseJsonResult,
  parseVerifyOutput,
} from '../parsers/script-result.parser';
import { HOST_SCRIPT_COMMANDS } from '../scripts/host-script-commands';
import { assertHostPath, assertWord } from '../payload/path-policy';
import type { RunTracker } from './run-tracker';

const { facts: FACTS_COMMAND, apply: APPLY_COMMAND, verify: VERIFY_COMMAND, confirm: CONFIRM_COMMAND } = HOST_SCRIPT_COMMANDS;

/** Runs each on-host script as exactly one exec (one round trip) and parses its answer. */
export class HostScriptRunner {
  constructor(private readonly tracker: RunTracker) {}

  /** Facts: os-release, tools, candidate file hashes/contents, live state, state.json. */
  facts(session: HostSession, extraPaths: string[], timeoutMs: number): Promise<HostFacts> {
    extraPaths.forEach((p, i) => assertHostPath(p, `extraFactPaths[${i}]`));
    return this.tracker.time('facts', async () => {
      const res = await session.exec(FACTS_COMMAND, { stdin: extraPaths.map((p) => `${p}\n`).join(''), timeoutMs });
      if (res.code !== 0) throw new Error(`facts script exited ${res.code}: ${res.stderr.trim().slice(-300)}`);
      return parseFacts(res.stdout);
    });
  }

  /** Apply: one exec carrying the encoded payload on stdin. */
  apply(session: HostSession, payload: string, timeoutMs: number): Promise<ApplyScriptResult> {
    return this.tracker.time('apply', async () => {
      const res = await session.exec(APPLY_COMMAND, { stdin: payload, timeoutMs });
      return parseJsonResult<ApplyScriptResult>('apply', res.stdout, res.stderr);
    });
  }

  /**
   * Verify: the live-state sections, the run's journal and written-file hashes, one gateway ping.
   * With `run`, the host first extends that run's rollback deadline to now + extendSeconds.
   */
  verify(session: HostSession, gateway: string | undefined, timeoutMs: number, run?: { runId: string; extendSeconds: number }): Promise<VerifyScriptResult> {
    if (run) assertWord(run.runId, 'runId');
    return this.tracker.time('verify', async () => {
      let stdin = isValidIpv4(gateway) ? `gateway ${gateway}\n` : '';
      if (run) stdin += `run ${run.runId}\nextend ${Math.max(1, Math.round(run.extendSeconds))}\n`;
      const res = await session.exec(VERIFY_COMMAND, { stdin, timeoutMs });
      if (res.code !== 0) throw new Error(`verify script exited ${res.code}: ${res.stderr.trim().slice(-300)}`);
      return parseVerifyOutput(res.stdout);
    });
  }

  /** Confirm (or roll back now) an armed run; the answer says which phase the host ended in. */
  confirm(session: HostSession, runId: string, specHash: string, action: 'confirm' | 'rollback', timeoutMs: number): Promise<ConfirmScriptResult> {
    assertWord(runId, 'runId');
    assertWord(specHash, 'specHash');
    return this.tracker.time('confirm', async () => {
      const res = await session.exec(CONFIRM_COMMAND, { stdin: `run ${runId}\nspec ${specHash}\naction ${action}\n`, timeoutMs });
      return parseJsonResult<ConfirmScriptResult>('confirm', res.stdout, res.stderr);
    });
  }
}
