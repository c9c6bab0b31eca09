import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom } from '../api-client';
import { printableLines } from '../terminal-text';
import { answerLine, answersOf, anyRunStarted, type TriggerReply } from './trigger-answer';

/** Usage line of `hostnet configure`. */
export const CONFIGURE_USAGE =
  'hostnet configure (--host ID|NAME | --cluster ID|NAME | --zone ID|NAME) [--dry-run] [--force] [--enable] [--requested-by NAME] [--api-url URL] [--json]  (token from env API_TOKEN; without --dry-run it APPLIES)';

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
    const { body: answer } = await api.answer<TriggerReply>('POST', path, body, [202, 409, 422]);
    const answers = answersOf(answer);
    io.stdout(flags.json ? `${JSON.stringify(answers, null, 2)}\n` : answers.map((a) => `${printableLines(answerLine(a, flags['dry-run'] ? 'dry-run' : 'apply'))}\n`).join(''));
    // a refusal can name the run that holds the host (a resolve, a dry-run under an apply): not this request's
    return anyRunStarted(answers) ? EXIT_OK : EXIT_FAILURE;
  };
}
