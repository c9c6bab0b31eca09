import { formatCloudStackDate } from '../protocol/cloudstack-date';
import { deterministicUuid } from '../state/deterministic-uuid';

/** How a finished job ended: a result object (`{host: {...}}`) or CloudStack's failure pair. */
export type JobOutcome =
  | { ok: true; result: Record<string, unknown> }
  | { ok: false; errorcode: number; errortext: string };

/** What an async command hands the registry. */
export interface AsyncJobSpec {
  /** The API name, used to match injected job failures. */
  command: string;
  /** Java command class, reported as `cmd`. */
  cmdClass: string;
  instanceType: string;
  instanceId: string;
  /** Runs when the job's delay has passed; state changes belong here. */
  complete: () => JobOutcome | Promise<JobOutcome>;
}

interface JobRecord {
  id: string;
  spec: AsyncJobSpec;
  created: Date;
  completed?: Date;
  outcome?: JobOutcome;
  running?: Promise<void>;
}

/** Decides, per submitted job, whether an injected failure replaces its real outcome. */
export type JobFailureSource = (command: string) => { errorcode: number; errortext: string } | undefined;

const ACCOUNT_ID = deterministicUuid('account:admin');
const USER_ID = deterministicUuid('user:admin');

/** Async jobs: `{jobid}` on submit, completed after `delayMs`, read through queryAsyncJobResult. */
export class AsyncJobRegistry {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private counter = 0;

  constructor(private readonly delayMs: number, private readonly injectedFailure: JobFailureSource = () => undefined) {}

  /** Registers a job and schedules its completion; returns the job id. */
  submit(spec: AsyncJobSpec): string {
    this.counter += 1;
    const job: JobRecord = { id: deterministicUuid(`job:${this.counter}:${spec.command}:${spec.instanceId}`), spec, created: new Date() };
    const failure = this.injectedFailure(spec.command);
    if (failure) job.spec = { ...spec, complete: () => ({ ok: false, ...failure }) };
    this.jobs.set(job.id, job);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.settle(job);
    }, this.delayMs);
    timer.unref();
    this.timers.add(timer);
    return job.id;
  }

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  /** Ids of the jobs created at or after `since`, in submission order (CloudStack orders by job id). */
  idsSince(since: Date): string[] {
    return [...this.jobs.values()].filter((j) => j.created >= since).map((j) => j.id);
  }

  /** The AsyncJobResponse fields for queryAsyncJobResult; completes the job first when it is due. */
  async describe(jobId: string): Promise<Record<string, unknown>> {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`unknown job ${jobId}`);
    if (!job.outcome && Date.now() - job.created.getTime() >= this.delayMs) await this.settle(job);
    const outcome = job.outcome;
    return {
      accountid: ACCOUNT_ID,
      userid: USER_ID,
      cmd: job.spec.cmdClass,
      jobstatus: outcome ? (outcome.ok ? 1 : 2) : 0,
      jobprocstatus: 0,
      jobresultcode: outcome && !outcome.ok ? outcome.errorcode : 0,
      ...(outcome ? { jobresulttype: 'object' } : {}),
      ...(outcome ? { jobresult: outcome.ok ? outcome.result : { errorcode: outcome.errorcode, errortext: outcome.errortext } } : {}),
      jobinstancetype: job.spec.instanceType,
      jobinstanceid: job.spec.instanceId,
      created: formatCloudStackDate(job.created),
      ...(job.completed ? { completed: formatCloudStackDate(job.completed) } : {}),
      jobid: job.id,
    };
  }

  /** Cancels pending completion timers (on simulator stop). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private settle(job: JobRecord): Promise<void> {
    job.running ??= (async () => {
      let outcome: JobOutcome;
      try {
        outcome = await job.spec.complete();
      } catch (error) {
        outcome = { ok: false, errorcode: 530, errortext: (error as Error).message };
      }
      job.outcome = outcome;
      job.completed = new Date();
    })();
    return job.running;
  }
}
