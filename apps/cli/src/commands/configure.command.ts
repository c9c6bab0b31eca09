import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom } from '../api-client';
import { printableLines } from '../terminal-text';

/** Usage line of `hostnet configure`. */
export const CONFIGURE_USAGE =
  'hostnet configure (--host ID|NAME | --cluster ID|NAME | --zone ID|NAME) [--dry-run] [--force] [--enable] [--requested-by NAME] [--api-url URL] [--json]  (token from env API_TOKEN; without --dry-run it APPLIES)';

/** One host's answer to a configure request (api's HostTriggerResult). */
interface TriggerAnswer {
  hostId: string;
  hostName: string;
  runId?: string;
  enqueued: boolean;
  skipped?: string;
  joined?: string;
}

/**
 * `hostnet configure`: POST /hosts|clusters|zones/:id/configure, one line per host (run started, joined,
 * or not run and why). Exits 2, as a failure, when no host was run. It applies unless --dry-run: the usage says so.
 */
export function configureCommand(env: () => Record<string, string | undefined> = () => process.env): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', 'host', 'cluster', 'zone', 'requested-by'], ['dry-run', 'force', 'enable', 'json']);
    const targets = (['host', 'cluster', 'zone'] as const).filter((t) => flags[t] !== undefined);
    if (targets.length !== 1) throw new CliUsageError(`give exactly one of --host, --cluster or --zone${targets.length > 1 ? ` (got ${targets.map((t) => `--${t}`).join(', ')})` : ''}`);
    const kind = targets[0]!;
    const api = new ApiClient(apiUrlFrom(flags['api-url'], env()), apiTokenOf(env()));
    const body = { ...(flags['dry-run'] ? { dryRun: true } : {}), ...(flags.force ? { force: true } : {}), ...(flags.enable ? { enable: true } : {}), ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}) };
    const path = `/${kind === 'host' ? 'hosts' : kind === 'cluster' ? 'clusters' : 'zones'}/${encodeURIComponent(flags[kind]!)}/configure`;
    const { body: answer } = await api.answer<TriggerAnswer | TriggerAnswer[] | { message?: string; hostId?: string; hostName?: string; results?: TriggerAnswer[] }>('POST', path, body, [202, 409, 422]);
    const answers = answersOf(answer);
    io.stdout(flags.json ? `${JSON.stringify(answers, null, 2)}\n` : answers.map((a) => `${printableLines(line(a, flags['dry-run'] ? 'dry-run' : 'apply'))}\n`).join(''));
    // a refusal can name the run that holds the host (a resolve, a dry-run under an apply): not this request's
    return answers.some((a) => a.runId !== undefined && a.skipped === undefined) ? EXIT_OK : EXIT_FAILURE;
  };
}

/** 202 gives one answer (a host) or a list; 409/422 give a host's refusal, or every host's answer in `results`. */
function answersOf(answer: TriggerAnswer | TriggerAnswer[] | { message?: string; hostId?: string; hostName?: string; results?: TriggerAnswer[] }): TriggerAnswer[] {
  if (Array.isArray(answer)) return answer;
  if ('enqueued' in answer) return [answer];
  if (answer.results) return answer.results;
  return [{ hostId: answer.hostId ?? '?', hostName: answer.hostName ?? answer.hostId ?? '?', enqueued: false, skipped: answer.message ?? 'api ran nothing' }];
}

function line(a: TriggerAnswer, mode: string): string {
  if (a.skipped !== undefined) return `${a.hostName}: not run: ${a.skipped}`;
  if (a.joined !== undefined) return `${a.hostName}: joined run ${a.runId ?? '?'}: ${a.joined}`;
  return `${a.hostName}: ${mode} queued, run ${a.runId ?? '?'} (hostnet host --host ${a.hostId} shows its result)`;
}
