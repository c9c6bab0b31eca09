import { CloudStackError } from '../errors/cloudstack-error';
import { ApiRequester } from './api-requester';
import { ResponseBody, isObject } from './envelope';
import { PAGE_SIZE } from './list-pager';

const DAY_MS = 86_400_000;
/** A sweep's pages are read one after another; past this many, the jobs left are queried alone, so a tick stays short. */
const MAX_PAGES_PER_SWEEP = 3;

/**
 * Reads many async jobs with `listAsyncJobs` instead of one `queryAsyncJobResult` each. CloudStack
 * (QueryManagerImpl.searchForAsyncJobsInternal) lists the caller's account's jobs of every status,
 * `created >= startdate`, ordered by job id, so jobs submitted later sit on later pages; each item
 * is the same AsyncJobResponse, jobresult included (AsyncJobJoinDaoImpl.newAsyncJobResponse).
 *
 * A sweep starts at the page where the oldest job still pending was seen last time and goes forward,
 * and stops as soon as asking the jobs still unfound one by one would cost fewer calls than the pages
 * left. What it does not find, the caller asks for with queryAsyncJobResult. startdate is the day
 * before the poll loop started (jobs are submitted after that) and the position lasts while the day
 * does; a sweep that misses a job starts the next one where the newest jobs are.
 */
export class AsyncJobListing {
  private startDate?: string;
  private firstPage = 1;
  private refused = false;

  constructor(
    private readonly requester: ApiRequester,
    private readonly pageSize = PAGE_SIZE,
  ) {}

  /** False once CloudStack refused the command for good (a role without it): every job is queried alone. */
  get usable(): boolean {
    return !this.refused;
  }

  /** A poll loop starts: its jobs were all submitted from now on, so yesterday (UTC) covers them in any server time zone. */
  restart(): void {
    const startDate = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);
    if (startDate === this.startDate) return;
    this.startDate = startDate;
    this.firstPage = 1;
  }

  /**
   * The job bodies found, by job id. Undefined when the listing failed for a passing reason (CloudStack
   * is struggling: the caller should not ask each job instead); refused for good, an empty map.
   */
  async sweep(wanted: ReadonlySet<string>): Promise<Map<string, ResponseBody> | undefined> {
    const found = new Map<string, ResponseBody>();
    if (this.startDate === undefined) this.restart();
    let page = this.firstPage;
    const lastPage = page + MAX_PAGES_PER_SWEEP - 1;
    let pendingFrom: number | undefined;
    let count = 0;
    try {
      for (;;) {
        const body = await this.requester.request('listAsyncJobs', {
          startdate: this.startDate!,
          page: String(page),
          pagesize: String(this.pageSize),
        });
        const jobs = Array.isArray(body.asyncjobs) ? body.asyncjobs.filter(isObject) : [];
        for (const job of jobs) {
          if (typeof job.jobid !== 'string' || !wanted.has(job.jobid)) continue;
          found.set(job.jobid, job);
          if (Number(job.jobstatus) === 0) pendingFrom ??= page;
        }
        count = Number(body.count) || 0;
        const pagesLeft = Math.ceil(count / this.pageSize) - page;
        const unfound = wanted.size - found.size;
        if (jobs.length === 0 || unfound === 0 || !(pagesLeft > 0) || pagesLeft > unfound || page === lastPage) break;
        page += 1;
      }
    } catch (error) {
      // Refused (401 outside the key's role), a page size the server does not allow, an answer that is
      // not CloudStack's: querying each job still works. Anything else passes: skip this tick.
      if (!(error instanceof CloudStackError) || error.permanent) {
        this.refused = true;
        return new Map();
      }
      return undefined;
    }
    // Jobs submitted from now on come after every page read. When a job was missed (the sweep stopped
    // early, or the list shrank as CloudStack expunged old jobs), the next sweep starts at the page
    // that holds as many of the newest jobs as are wanted: jobs still pending are mostly the newest,
    // and an older one it misses is asked for alone.
    const newest = Math.max(1, Math.ceil((count - wanted.size + 1) / this.pageSize));
    this.firstPage = found.size < wanted.size ? newest : (pendingFrom ?? page);
    return found;
  }
}
