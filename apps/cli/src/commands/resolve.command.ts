import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';

/** Usage line of `hostnet resolve`. */
export const RESOLVE_USAGE =
  'hostnet resolve --api-url URL --host ID --reason TEXT [--requested-by NAME] [--wait] [--timeout SECONDS]  (token from env API_TOKEN)';

/** The part of a history record `--wait` looks for and prints. */
interface HistoryRecord {
  phase: string;
  runId?: string;
  resolve?: { outcome?: { status?: string } };
}

export interface ResolveCommandOptions {
  env?: () => Record<string, string | undefined>;
  pollIntervalMs?: number;
}

/**
 * `hostnet resolve`: asks api to roll back the run stuck on a host (POST /hosts/:id/resolve) and
 * prints the job id; with --wait, polls GET /hosts/:id until the resolve's record is in the history
 * and prints it. The token comes from API_TOKEN only: a flag would land in shell history.
 */
export function resolveCommand(options: ResolveCommandOptions = {}): CliCommand {
  const readEnv = options.env ?? (() => process.env);
  const intervalMs = options.pollIntervalMs ?? 1_000;
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', 'host', 'reason', 'requested-by', 'timeout'], ['wait']);
    const apiUrl = apiUrlOf(flags['api-url']);
    const host = required(flags.host, '--host', 'the CloudStack id of the host');
    const reason = required(flags.reason, '--reason', 'why the run is stuck, e.g. --reason "worker died, timer gone"');
    const timeoutS = flags.timeout === undefined ? 600 : Number(flags.timeout);
    if (!Number.isInteger(timeoutS) || timeoutS < 1) throw new CliUsageError(`--timeout must be a whole number of seconds (got ${JSON.stringify(flags.timeout)})`);
    const token = readEnv().API_TOKEN;
    if (!token) throw new CliUsageError('API_TOKEN is not set: export the api token (it is never a flag, flags land in shell history)');
    const api = new ApiClient(apiUrl, token);

    const body = { action: 'rollback', reason, ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}) };
    const accepted = await api.call<{ jobId: string; runId: string; hostName: string }>('POST', `/hosts/${encodeURIComponent(host)}/resolve`, body, 202);
    io.stdout(`resolve accepted: host ${host} (${accepted.hostName}) job ${accepted.jobId} run ${accepted.runId}\n`);
    if (!flags.wait) return EXIT_OK;

    const deadline = Date.now() + timeoutS * 1000;
    for (;;) {
      const view = await api.call<{ history: HistoryRecord[] } | undefined>('GET', `/hosts/${encodeURIComponent(host)}`, undefined, 200, true);
      const record = view?.history.find((r) => r.phase === 'resolved' && r.runId === accepted.runId);
      if (record) {
        io.stdout(`${JSON.stringify(record, null, 2)}\n`);
        const status = record.resolve?.outcome?.status;
        return status === 'rolled-back' || status === 'nothing-to-resolve' ? EXIT_OK : EXIT_FAILURE;
      }
      if (Date.now() > deadline) throw new Error(`no resolve record for run ${accepted.runId} after ${timeoutS} s; look again with GET /hosts/${host}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
}

/** Bearer-token calls to api; an unexpected status becomes an error carrying api's own message. */
class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async call<T>(method: string, path: string, body: unknown, expected: number, notFoundIsEmpty = false): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).catch((error: Error) => {
      throw new Error(`${method} ${this.baseUrl}${path} failed: ${(error.cause as Error | undefined)?.message ?? error.message}`);
    });
    const text = await res.text();
    if (res.status === 404 && notFoundIsEmpty) return undefined as T;
    if (res.status !== expected) throw new Error(`${method} ${path} answered ${res.status}: ${messageOf(text)}`);
    return JSON.parse(text) as T;
  }
}

function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (Array.isArray(message)) return message.join('; ');
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 300);
}

function apiUrlOf(value: string | undefined): string {
  const url = required(value, '--api-url', "api's base URL, e.g. --api-url http://127.0.0.1:3000");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(`--api-url ${JSON.stringify(url)} is not a URL: give api's base URL, e.g. http://127.0.0.1:3000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliUsageError(`--api-url must be http:// or https:// (got ${parsed.protocol})`);
  if (parsed.username || parsed.password) throw new CliUsageError('--api-url must not carry credentials: the token comes from API_TOKEN');
  return url.replace(/\/+$/, '');
}

function required(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value.trim() === '') throw new CliUsageError(`${flag} is required: ${what}`);
  return value;
}
