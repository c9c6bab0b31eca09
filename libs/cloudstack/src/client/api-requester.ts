import { CloudStackError } from '../errors/cloudstack-error';
import { ApiParams } from '../signing/request-signer';
import { CallCounter } from './call-counter';
import { ResolvedClientOptions, type CloudStackCallEvent, type CloudStackCallObserver } from './client-options';
import { ResponseBody } from './envelope';
import { HttpTransport } from './http-transport';
import { describeParams } from './param-masking';
import { backoffDelayMs, shouldRetry } from './retry-policy';
import { Semaphore } from './semaphore';

/** Commands that change nothing; every other command is a mutation. */
const READ_COMMAND = /^(list|query|get)[A-Z]/;

/** Per-call settings. */
export interface RequestOptions {
  /** Safe to send twice (reads, set-to-value updates). Default true. */
  idempotent?: boolean;
  /** Overrides the client's per-request timeout (addHost). */
  timeoutMs?: number;
}

/**
 * Sends one CloudStack command with the concurrency cap, call counting, per-request timeout and
 * retries (exponential backoff, full jitter) for transient failures only.
 */
export class ApiRequester {
  private readonly semaphore: Semaphore;

  constructor(
    private readonly options: ResolvedClientOptions,
    private readonly transport: HttpTransport,
    readonly calls: CallCounter,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {
    this.semaphore = new Semaphore(options.maxConcurrent);
  }

  private observed<T>(command: string, send: () => Promise<T>): Promise<T> {
    return observedCall(this.options.observer, this.options.now, command, send);
  }

  /** Sends `command` and returns the unwrapped `<command>response` object. */
  async request(command: string, params: ApiParams = {}, opts: RequestOptions = {}): Promise<ResponseBody> {
    const { logger, retries } = this.options;
    const timeoutMs = opts.timeoutMs ?? this.options.timeoutMs;
    let timeouts = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.semaphore.run(() => {
          this.calls.record(command);
          logger.debug(`→ ${command} ${describeParams(params)}`.trimEnd());
          return this.observed(command, () => this.transport.send(command, params, timeoutMs));
        });
      } catch (error) {
        if (error instanceof CloudStackError && error.kind === 'timeout') timeouts++;
        // A server that let a whole timeout pass once more is hung, not busy: a third wait of timeoutMs would
        // only keep an operator's request (and the CLI's own time limit) waiting.
        const last = attempt >= retries.attempts || timeouts >= 2 || !shouldRetry(error, opts.idempotent ?? true, !READ_COMMAND.test(command));
        if (last) {
          if (attempt > 1 && error instanceof CloudStackError) error.message += ` (tried ${attempt} times)`;
          throw error;
        }
        const delay = backoffDelayMs(attempt, retries, this.options.random);
        const reason = error instanceof CloudStackError ? error.message : 'unknown error';
        logger.warn(`${command} attempt ${attempt}/${retries.attempts} failed (${reason}); retrying in ${delay} ms`);
        await this.sleep(delay);
      }
    }
  }
}

/** Reports each attempt's result and duration to the observer, which may never break a call. */
async function observedCall<T>(observer: CloudStackCallObserver, now: () => number, command: string, send: () => Promise<T>): Promise<T> {
  const started = now();
  const report = (result: CloudStackCallEvent['result']) => {
    try {
      observer({ command, result, durationMs: now() - started });
    } catch {
      // An observer's bug must not turn a CloudStack answer into a failure.
    }
  };
  try {
    const answer = await send();
    report('ok');
    return answer;
  } catch (error) {
    report(error instanceof CloudStackError ? error.kind : 'error');
    throw error;
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
