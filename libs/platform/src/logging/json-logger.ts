import type { LoggerService, LogLevel } from '@nestjs/common';
import { inspect } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';
import { batchedStdout } from './batched-lines';
import { currentLogContext, type LogContext } from './log-context';
import { SecretMasker } from './secret-masker';

const NEST_LEVELS: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];
const PINO_LEVEL: Record<LogLevel, pino.Level> = { fatal: 'fatal', error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
/** Ids hostnet's messages already carry as `hostId=…`: lifted into fields so they can be queried. */
const STACK = /\n\s+at /;
const ID_TOKEN = /\b(hostId|runId|jobId)=([^\s,;:'"()]+)/g;

/**
 * Nest's LoggerService over pino: one JSON object a line with level, time, app, context (the class),
 * msg, and hostId/runId/jobId wherever a job is being handled (withLogContext) or the message names
 * them. Secrets are masked in every field and, as a last net, in the serialized line.
 */
export class JsonLogger implements LoggerService {
  private readonly pino: Logger;

  constructor(
    private readonly masker: SecretMasker,
    level: LogLevel = 'log',
    app?: string,
    destination: DestinationStream = batchedStdout('blocking'),
  ) {
    this.pino = pino(
      {
        level: PINO_LEVEL[level] ?? 'info',
        base: { pid: process.pid, ...(app ? { app } : {}) },
        messageKey: 'msg',
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        hooks: { streamWrite: (line) => this.masker.mask(line) },
      },
      destination,
    );
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  /** Nest calls this when an app is created with `logger: [levels]`; the most verbose one wins. */
  setLogLevels(levels: LogLevel[]): void {
    const most = NEST_LEVELS.filter((l) => levels.includes(l)).at(-1);
    if (most) this.pino.level = PINO_LEVEL[most];
  }

  /**
   * Nest passes `(message, context)`, or for errors `(message, stack, context)`; `Logger.error(err)`
   * passes the Error itself.
   */
  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const pinoLevel = PINO_LEVEL[level];
    if (!this.pino.isLevelEnabled(pinoLevel)) return;
    const rest = [...params];
    const last = rest.at(-1);
    // A lone stack (Logger.error(msg, err.stack) with no context) is not a context.
    const context = typeof last === 'string' && !STACK.test(last) ? (rest.pop() as string) : undefined;
    let stack = typeof rest[0] === 'string' ? rest[0] : undefined;
    let text: string;
    if (message instanceof Error) {
      text = `${message.name}: ${message.message}`;
      stack ??= message.stack;
    } else {
      text = typeof message === 'string' ? message : inspect(message, { depth: 6, breakLength: Infinity });
    }
    const msg = this.masker.mask(text);
    const fields: Record<string, unknown> = { ...idsIn(msg, currentLogContext()) };
    if (context) fields.context = this.masker.mask(context);
    if (stack) fields.stack = this.masker.mask(stack);
    this.pino[pinoLevel](fields, msg);
  }
}

/**
 * The ids of the job being handled; ids the message names fill the gaps (lines logged outside a job,
 * such as a trigger's). The job's own win so that one run has one runId in api and worker lines
 * (the worker's messages name it as the host does, `job-<runId>`).
 */
function idsIn(message: string, context: LogContext): LogContext {
  const named: LogContext = {};
  for (const [, key, value] of message.matchAll(ID_TOKEN)) if (value && value !== '-') named[key as keyof LogContext] ??= value;
  return { ...named, ...context };
}
