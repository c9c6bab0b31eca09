import { isResolveReasonText, RESOLVE_REASON_CHARS_TEXT, resolveReasonRefused } from '@hostnet/contracts';
import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom, requiredFlag as required, timeoutSecondsOf } from '../api-client';

/** Usage line of `hostnet resolve`. */
export const RESOLVE_USAGE =
  'hostnet resolve [--api-url URL] --host ID --reason TEXT [--requested-by NAME] [--wait [--json]] [--timeout SECONDS]  (token from env API_TOKEN)';

/** The part of a resolve's record (GET /hosts/:id/resolves/:runId) `--wait` prints. */
interface ResolveRecord {
  phase: string;
  runId?: string;
  resolve?: { outcome?: { status?: string; detail?: string; runId?: string; phaseBefore?: string; phaseAfter?: string } };
}

/** `--wait`'s answer in one line: what the resolve did on the host, and to which run. */
function resolvedLine(record: ResolveRecord): string {
  const outcome = record.resolve?.outcome ?? {};
  const phases = outcome.phaseBefore || outcome.phaseAfter ? `, ${outcome.phaseBefore ?? '?'} → ${outcome.phaseAfter ?? '?'}` : '';
  const hostRun = outcome.runId ? ` (host run ${outcome.runId}${phases})` : '';
  return `resolved: ${outcome.status ?? 'unknown'}${hostRun}${outcome.detail ? `: ${outcome.detail}` : ''}\n`;
}

export interface ResolveCommandOptions {
  env?: () => Record<string, string | undefined>;
  pollIntervalMs?: number;
}

/**
 * `hostnet resolve`: asks api to roll back the run stuck on a host (POST /hosts/:id/resolve) and
 * prints the job id; with --wait, polls GET /hosts/:id/resolves/:runId until the host answered and prints it
 * (a healthy host's answer, "nothing to resolve", is in no history: the resolve changed nothing). The token comes from API_TOKEN only: a flag would land in shell history.
 */
export function resolveCommand(options: ResolveCommandOptions = {}): CliCommand {
  const readEnv = options.env ?? (() => process.env);
  const intervalMs = options.pollIntervalMs ?? 1_000;
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', 'host', 'reason', 'requested-by', 'timeout'], ['wait', 'json']);
    if (flags.json && !flags.wait) throw new CliUsageError('--json goes with --wait (it prints the resolve record)');
    const apiUrl = apiUrlFrom(flags['api-url'], readEnv());
    const host = required(flags.host, '--host', 'the CloudStack id of the host');
    const reason = required(flags.reason, '--reason', 'why the run is stuck, e.g. --reason "worker died, timer gone"');
    if (!isResolveReasonText(reason)) throw new CliUsageError(`--reason may hold ${RESOLVE_REASON_CHARS_TEXT} only (it is written to the host's journal); it has ${resolveReasonRefused(reason)}`);
    const timeoutS = timeoutSecondsOf(flags.timeout, 600);
    const api = new ApiClient(apiUrl, apiTokenOf(readEnv()), timeoutS * 1000);

    const body = { action: 'rollback', reason, ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}) };
    const accepted = await api.call<{ jobId: string; runId: string; hostName: string }>('POST', `/hosts/${encodeURIComponent(host)}/resolve`, body, 202);
    const asked = host === accepted.hostName ? '' : ` (${host})`;
    // with --json, stdout carries the record alone (piped to jq); the acknowledgement goes to stderr
    (flags.json ? io.stderr : io.stdout)(`resolve accepted: host ${accepted.hostName}${asked} job ${accepted.jobId} run ${accepted.runId}\n`);
    if (!flags.wait) return EXIT_OK;

    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const answer = `/hosts/${encodeURIComponent(host)}/resolves/${encodeURIComponent(accepted.runId)}`;
      const record = await api.call<ResolveRecord | undefined>('GET', answer, undefined, 200, true);
      if (record) {
        io.stdout(flags.json ? `${JSON.stringify(record, null, 2)}\n` : resolvedLine(record));
        const status = record.resolve?.outcome?.status;
        return status === 'rolled-back' || status === 'nothing-to-resolve' ? EXIT_OK : EXIT_FAILURE;
      }
      if (Date.now() > deadline) throw new Error(`no resolve record for run ${accepted.runId} after ${timeoutS} s; look again with GET /hosts/${host}/resolves/${accepted.runId}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
}
