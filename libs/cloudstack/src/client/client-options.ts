import { CloudStackConfigError, type CloudStackErrorKind } from '../errors/cloudstack-error';
import { normalizeCloudStackUrl } from './cloudstack-url';

/** Where log lines go; a Nest `Logger` instance fits. Lines never contain credentials. */
export interface CloudStackLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/** One HTTP request to CloudStack as it ended; every attempt is one call (retries and polls included). */
export interface CloudStackCallEvent {
  command: string;
  /** `ok`, or the error kind (`server`, `timeout`, `param`, …; `error` for anything unclassified). */
  result: 'ok' | CloudStackErrorKind | 'error';
  durationMs: number;
}

/** Told about every call, e.g. to count them for metrics; must not throw (it is not awaited). */
export type CloudStackCallObserver = (event: CloudStackCallEvent) => void;

/** Retry policy for transient failures (network, timeout, 5xx, 429). */
export interface RetryOptions {
  /** Total tries including the first (1 = no retry). Default 3. */
  attempts?: number;
  /** First backoff ceiling in ms; doubles each retry. Default 250. */
  baseDelayMs?: number;
  /** Upper bound of any backoff in ms. Default 5000. */
  maxDelayMs?: number;
}

/** How to talk to one CloudStack management server. */
export interface CloudStackClientOptions {
  /** Management server URL; see normalizeCloudStackUrl for what is accepted. */
  url: string;
  apiKey: string;
  secretKey: string;
  /** Per-HTTP-request deadline in ms (connect to last byte). Default 30 000. */
  timeoutMs?: number;
  /** addHost blocks while CloudStack installs the agent; its own deadline. Default 30 min. */
  addHostTimeoutMs?: number;
  /** Most requests in flight at once. Default 4. */
  maxConcurrent?: number;
  retries?: RetryOptions;
  /** Send signatureVersion=3 with expires = now + N minutes (1..15). Default 10; false disables. */
  signatureVersion3?: false | { expiresInMinutes: number };
  /** Default POST (form body): keys, signature and addHost's password stay out of access logs. */
  method?: 'POST' | 'GET';
  /** queryAsyncJobResult polling. Defaults: every 2 s, give up after 10 min. */
  asyncJobs?: { pollIntervalMs?: number; timeoutMs?: number };
  logger?: CloudStackLogger;
  /** Sees every call's command, result and duration (the lib stays free of any metrics library). */
  observer?: CloudStackCallObserver;
  /** Test hooks: clock and randomness (full-jitter backoff). */
  now?: () => number;
  random?: () => number;
}

/** Options after validation and defaults. */
export interface ResolvedClientOptions {
  endpoint: URL;
  apiKey: string;
  secretKey: string;
  timeoutMs: number;
  addHostTimeoutMs: number;
  maxConcurrent: number;
  retries: Required<RetryOptions>;
  expiresInMinutes: number | null;
  method: 'POST' | 'GET';
  pollIntervalMs: number;
  asyncTimeoutMs: number;
  logger: CloudStackLogger;
  observer: CloudStackCallObserver;
  now: () => number;
  random: () => number;
}

const SILENT: CloudStackLogger = { debug: () => undefined, warn: () => undefined };

/** Validates options, naming the environment variable behind each bad value. */
export function resolveClientOptions(o: CloudStackClientOptions): ResolvedClientOptions {
  const endpoint = normalizeCloudStackUrl(o.url ?? '');
  const apiKey = requireKey(o.apiKey, 'CLOUDSTACK_API_KEY');
  const secretKey = requireKey(o.secretKey, 'CLOUDSTACK_SECRET_KEY');
  const sv3 = o.signatureVersion3 ?? { expiresInMinutes: 10 };
  if (sv3 !== false) positiveInt(sv3.expiresInMinutes, 'CLOUDSTACK_SIGNATURE_EXPIRES_MINUTES', 15);
  return {
    endpoint,
    apiKey,
    secretKey,
    timeoutMs: positiveInt(o.timeoutMs ?? 30_000, 'CLOUDSTACK_TIMEOUT_MS'),
    addHostTimeoutMs: positiveInt(o.addHostTimeoutMs ?? 30 * 60_000, 'CLOUDSTACK_ADD_HOST_TIMEOUT_MS'),
    maxConcurrent: positiveInt(o.maxConcurrent ?? 4, 'CLOUDSTACK_MAX_CONCURRENT', 64),
    retries: {
      attempts: positiveInt(o.retries?.attempts ?? 3, 'CLOUDSTACK_RETRY_ATTEMPTS', 20),
      baseDelayMs: nonNegativeInt(o.retries?.baseDelayMs ?? 250, 'CLOUDSTACK_RETRY_BASE_DELAY_MS'),
      maxDelayMs: nonNegativeInt(o.retries?.maxDelayMs ?? 5_000, 'CLOUDSTACK_RETRY_MAX_DELAY_MS'),
    },
    expiresInMinutes: sv3 === false ? null : sv3.expiresInMinutes,
    method: o.method ?? 'POST',
    pollIntervalMs: positiveInt(o.asyncJobs?.pollIntervalMs ?? 2_000, 'CLOUDSTACK_ASYNC_POLL_INTERVAL_MS'),
    asyncTimeoutMs: positiveInt(o.asyncJobs?.timeoutMs ?? 10 * 60_000, 'CLOUDSTACK_ASYNC_TIMEOUT_MS'),
    logger: o.logger ?? SILENT,
    observer: o.observer ?? (() => undefined),
    now: o.now ?? Date.now,
    random: o.random ?? Math.random,
  };
}

function requireKey(value: string | undefined, variable: string): string {
  const v = (value ?? '').trim();
  if (v === '') throw new CloudStackConfigError(variable, 'is missing; create an API key pair for an admin user in CloudStack');
  if (/\s/.test(v)) throw new CloudStackConfigError(variable, 'contains whitespace; paste the key exactly as CloudStack shows it');
  return v;
}

function positiveInt(value: number, variable: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new CloudStackConfigError(variable, `must be an integer between 1 and ${max}, got ${String(value)}`);
  }
  return value;
}

function nonNegativeInt(value: number, variable: string): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new CloudStackConfigError(variable, `must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}
