import {
  CloudStackAsyncJobError,
  CloudStackError,
  CloudStackAsyncTimeoutError,
  CloudStackProtocolError,
} from '../errors/cloudstack-error';
import { ApiRequester } from './api-requester';
import { AsyncJobListing } from './async-job-listing';
import { ResponseBody, isObject } from './envelope';
import { sanitizeParams } from './param-masking';

/** Polling settings for queryAsyncJobResult. */
export interface PollSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/** One caller waiting for one job. */
interface Waiter {
  command: string;
  params: Record<string, string>;
  objectName: string;
  started: number;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Waits for async jobs, all of them in one poll loop: each tick (every pollIntervalMs while any job
 * is pending) reads every pending job, so a job submitted between ticks waits for the next one
 * instead of starting its own timer. One job is read with queryAsyncJobResult; several with
 * listAsyncJobs pages (AsyncJobListing), so N jobs in flight cost about one call per tick instead of
 * N, and any job the listing did not show is queried alone. jobstatus 0 = pending (read again next
 * tick), 1 = done (resolves with `jobresult.<objectName>`), 2 = failed (CloudStackAsyncJobError with
 * the job's errorcode/errortext). A read that fails for a passing reason (5xx, timeout, reset, after
 * the requester's own retries) is no answer: the job stays pending until its deadline, then rejects
 * with CloudStackAsyncTimeoutError, so a caller never takes a job CloudStack may still run for one
 * that failed and sends its command again. When the listing fails so, the tick reads nothing more.
 */
export class AsyncJobPoller {
  private readonly pending = new Map<string, Waiter>();
  private readonly listing: AsyncJobListing;
  private looping = false;

  constructor(
    private readonly requester: ApiRequester,
    private readonly settings: PollSettings,
    listPageSize?: number,
  ) {
    this.listing = new AsyncJobListing(requester, listPageSize);
  }

  /** Resolves when `jobId` (submitted by `command`) finishes; rejects when it fails or the deadline passes. */
  waitFor(command: string, params: Record<string, string>, jobId: string, objectName: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { command, params, objectName, started: this.settings.now(), resolve, reject });
      if (!this.looping) void this.loop();
    });
  }

  private async loop(): Promise<void> {
    this.looping = true;
    this.listing.restart();
    try {
      while (this.pending.size > 0) {
        await this.settings.sleep(this.settings.pollIntervalMs);
        await this.tick([...this.pending.entries()]);
      }
    } finally {
      this.looping = false;
    }
  }

  private async tick(jobs: [string, Waiter][]): Promise<void> {
    const listed: Map<string, ResponseBody> | undefined = jobs.length > 1 && this.listing.usable
      ? await this.listing.sweep(new Set(jobs.map(([jobId]) => jobId)))
      : new Map();
    await Promise.all(jobs.map(async ([jobId, waiter]) => {
      const known = listed?.get(jobId);
      if (known) return this.settle(jobId, waiter, () => known);
      if (!listed) return this.settle(jobId, waiter, () => undefined);
      return this.settle(jobId, waiter, () => this.requester.request('queryAsyncJobResult', { jobid: jobId }));
    }));
  }

  /** Reads one answer (undefined: none this tick) and resolves, rejects or leaves the waiter pending. */
  private async settle(jobId: string, waiter: Waiter, answer: () => ResponseBody | undefined | Promise<ResponseBody>): Promise<void> {
    let done: { value: unknown } | undefined;
    try {
      let body: ResponseBody | undefined;
      try {
        body = await answer();
      } catch (error) {
        if (!(error instanceof CloudStackError) || error.permanent) throw error;
      }
      done = body ? this.read(jobId, waiter, body) : this.pendingUntilDeadline(jobId, waiter);
    } catch (error) {
      this.pending.delete(jobId);
      return waiter.reject(error);
    }
    if (!done) return;
    this.pending.delete(jobId);
    waiter.resolve(done.value);
  }

  /** The job's result when it is done, undefined while it is pending; throws when it failed or is out of time. */
  private read(jobId: string, waiter: Waiter, job: ResponseBody): { value: unknown } | undefined {
    const { command, params, objectName } = waiter;
    const status = Number(job.jobstatus);
    if (status === 1) return { value: resultObject(command, job, objectName) };
    if (status === 2) throw jobError(command, params, jobId, job);
    if (status !== 0) {
      throw new CloudStackProtocolError(`CloudStack ${command} job ${jobId}: unknown jobstatus ${String(job.jobstatus)}`, command);
    }
    return this.pendingUntilDeadline(jobId, waiter);
  }

  /** Undefined (ask again next tick) unless another interval would pass the deadline: then the timeout error. */
  private pendingUntilDeadline(jobId: string, { command, params, started }: Waiter): undefined {
    const waited = this.settings.now() - started;
    if (waited + this.settings.pollIntervalMs > this.settings.timeoutMs) {
      throw new CloudStackAsyncTimeoutError(jobId, command, sanitizeParams(params), waited);
    }
    return undefined;
  }
}

function resultObject(command: string, job: ResponseBody, objectName: string): unknown {
  const result = job.jobresult;
  if (isObject(result) && result[objectName] !== undefined) return result[objectName];
  throw new CloudStackProtocolError(`CloudStack ${command} job succeeded without jobresult.${objectName}`, command);
}

function jobError(command: string, params: Record<string, string>, jobId: string, job: ResponseBody): CloudStackAsyncJobError {
  const result = job.jobresult;
  // JSON failures carry {errorcode, errortext}; the documented XML form is plain text.
  const detail = isObject(result) ? result : {};
  const text = typeof result === 'string' ? result : detail.errortext;
  const code = detail.errorcode ?? job.jobresultcode;
  return new CloudStackAsyncJobError({
    command,
    params: sanitizeParams(params),
    jobId,
    errorCode: typeof code === 'number' ? code : undefined,
    csErrorCode: typeof detail.cserrorcode === 'number' ? detail.cserrorcode : undefined,
    errorText: typeof text === 'string' && text !== '' ? text : 'no error text in job result',
  });
}
