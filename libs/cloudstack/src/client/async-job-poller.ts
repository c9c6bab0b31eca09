import {
  CloudStackAsyncJobError,
  CloudStackAsyncTimeoutError,
  CloudStackProtocolError,
} from '../errors/cloudstack-error';
import { ApiRequester } from './api-requester';
import { ResponseBody, isObject } from './envelope';
import { sanitizeParams } from './param-masking';

/** Polling settings for queryAsyncJobResult. */
export interface PollSettings {
  pollIntervalMs: number;
  timeoutMs: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Waits for an async job: jobstatus 0 = pending (poll again), 1 = done (returns
 * `jobresult.<objectName>`), 2 = failed (CloudStackAsyncJobError with the job's errorcode/errortext).
 */
export class AsyncJobPoller {
  constructor(
    private readonly requester: ApiRequester,
    private readonly settings: PollSettings,
  ) {}

  /** Polls `jobId` (submitted by `command`) until it finishes or the deadline passes. */
  async waitFor(command: string, params: Record<string, string>, jobId: string, objectName: string): Promise<unknown> {
    const started = this.settings.now();
    for (;;) {
      const job = await this.requester.request('queryAsyncJobResult', { jobid: jobId });
      const status = Number(job.jobstatus);
      if (status === 1) return resultObject(command, job, objectName);
      if (status === 2) throw jobError(command, params, jobId, job);
      if (status !== 0) {
        throw new CloudStackProtocolError(`queryAsyncJobResult for ${command} job ${jobId}: unknown jobstatus ${String(job.jobstatus)}`, command);
      }
      const waited = this.settings.now() - started;
      if (waited + this.settings.pollIntervalMs > this.settings.timeoutMs) {
        throw new CloudStackAsyncTimeoutError(jobId, command, sanitizeParams(params), waited);
      }
      await this.settings.sleep(this.settings.pollIntervalMs);
    }
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
