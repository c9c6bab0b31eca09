import { CliUsageError } from './cli-command';

/** How long one call waits for api's answer when the command has no --timeout. */
export const DEFAULT_CALL_TIMEOUT_MS = 120_000;

/**
 * Bearer-token calls to hostnet's api; an unexpected status becomes an error carrying api's own message. Each
 * call waits at most `timeoutMs` (a command's --timeout): without it a call waited for Node's own limit (5 min).
 */
export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ) {}

  async call<T>(method: string, path: string, body: unknown, expected: number, notFoundIsEmpty = false): Promise<T> {
    const { status, text } = await this.send(method, path, body);
    if (status === 404 && notFoundIsEmpty) return undefined as T;
    if (status !== expected) throw new Error(unexpected(method, path, status, text, this.baseUrl));
    return JSON.parse(text) as T;
  }

  /** The status and body of a call whose answer the caller reads for any of `statuses` (a 409 that lists each host's answer). */
  async answer<T>(method: string, path: string, body: unknown, statuses: number[]): Promise<{ status: number; body: T }> {
    const { status, text } = await this.send(method, path, body);
    if (!statuses.includes(status) || !isJson(text)) throw new Error(unexpected(method, path, status, text, this.baseUrl));
    return { status, body: JSON.parse(text) as T };
  }

  private async send(method: string, path: string, body: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: Error) => {
      if (isTimeout(error)) throw new Error(noAnswer(method, path, this.baseUrl, this.timeoutMs));
      const cause = (error.cause as Error | undefined)?.message ?? error.message;
      // fetch never connects to the WHATWG "bad ports" (6000 X11, 6665-6669 IRC, …) and says only "bad port"
      if (cause === 'bad port') {
        throw new Error(`api at ${this.baseUrl}: port ${new URL(this.baseUrl).port} is one fetch refuses to connect to (the WHATWG "bad ports" list, kept from browsers); fix: serve api on another port (API_PORT) and give that one to --api-url or HOSTNET_API_URL`);
      }
      throw new Error(`could not reach api at ${this.baseUrl} (${method} ${path}: ${cause}); fix: check --api-url or HOSTNET_API_URL and that api is running`);
    });
    return { status: res.status, text: await res.text() };
  }
}

/** Our own deadline, or undici's (it waits 5 min for the headers). */
function isTimeout(error: Error): boolean {
  const cause = error.cause as { code?: string } | undefined;
  return error.name === 'TimeoutError' || cause?.code === 'UND_ERR_HEADERS_TIMEOUT';
}

/** api took the connection but gave no answer: it is running, something it waits on is not. */
function noAnswer(method: string, path: string, baseUrl: string, timeoutMs: number): string {
  const maybe = method === 'GET' ? '' : '; the request may still take effect: check with hostnet hosts or hostnet host before asking again';
  return `api at ${baseUrl} took the request but did not answer ${method} ${path} within ${Math.round(timeoutMs / 1000)} s${maybe}; fix: GET ${baseUrl}/health tells whether api's Redis answers, and api's log says what it waits on`;
}

function unexpected(method: string, path: string, status: number, text: string, baseUrl: string): string {
  return `${method} ${path} answered ${status}: ${messageOf(text)}${isJson(text) ? '' : `; that is not hostnet api's answer (it answers JSON): check that --api-url or HOSTNET_API_URL (${baseUrl}) is hostnet's api`}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** api's `message` (string or list: several problems a line each) from an error body, else the start of the body. */
export function messageOf(text: string): string {
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (Array.isArray(message)) return message.length > 1 ? `${message.length} problems:${message.map((m) => `\n  - ${String(m)}`).join('')}` : message.join('; ');
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 300);
}

/** api's address when neither `--api-url` nor HOSTNET_API_URL gives one: its default local port. */
const DEFAULT_API_URL = 'http://127.0.0.1:3000';

/** `--api-url`, else HOSTNET_API_URL (what `demo --keep`'s env file sets), else api's default local address; checked. */
export function apiUrlFrom(flag: string | undefined, env: Record<string, string | undefined>): string {
  if (flag !== undefined) return apiUrlOf(flag);
  const fromEnv = env.HOSTNET_API_URL?.trim();
  // An exported but empty variable is no address: the default applies, as when it is unset.
  return fromEnv ? apiUrlOf(fromEnv, 'HOSTNET_API_URL') : DEFAULT_API_URL;
}

/** An api address checked: http(s), no credentials in it, no trailing slash; errors name where it came from. */
export function apiUrlOf(value: string | undefined, source = '--api-url'): string {
  const url = requiredFlag(value, source, "api's base URL, e.g. --api-url http://127.0.0.1:3000");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliUsageError(`${source} ${JSON.stringify(url)} is not a URL: give api's base URL, e.g. http://127.0.0.1:3000`);
  }
  // Echo what was typed: `localhost:3000` parses as scheme "localhost:", which alone tells the user nothing.
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliUsageError(`${source} ${JSON.stringify(url)} must start with http:// or https://, e.g. http://${url.includes('://') ? url.slice(url.indexOf('://') + 3) : url}`);
  }
  if (parsed.username || parsed.password) throw new CliUsageError(`${source} must not carry credentials: the token comes from API_TOKEN`);
  return url.replace(/\/+$/, '');
}

/** The api token from API_TOKEN only: a flag would land in shell history. */
export function apiTokenOf(env: Record<string, string | undefined>): string {
  const token = env.API_TOKEN;
  if (!token) throw new CliUsageError('API_TOKEN is not set: export the api token (it is never a flag, flags land in shell history)');
  return token;
}

/** A flag that must be given, with what it is for. */
export function requiredFlag(value: string | undefined, flag: string, what: string): string {
  if (value === undefined || value.trim() === '') throw new CliUsageError(`${flag} is required: ${what}`);
  return value;
}

/** `--timeout` in whole seconds (default when absent). */
export function timeoutSecondsOf(value: string | undefined, fallback: number): number {
  const seconds = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new CliUsageError(`--timeout must be a whole number of seconds, 1 or more (got ${JSON.stringify(value)})`);
  return seconds;
}
