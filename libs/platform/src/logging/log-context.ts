import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids that tie a log line to a host run; set around a job's handling, read by the JSON logger. */
export interface LogContext {
  hostId?: string;
  runId?: string;
  jobId?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` on every line it logs, including across awaits and in what it calls. */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...definedOnly(fields) }, fn);
}

/** The ids of the job being handled, if any. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}

function definedOnly(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => typeof v === 'string' && v !== '')) as LogContext;
}
