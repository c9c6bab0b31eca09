import { CloudStackApiError } from '../errors/cloudstack-error';
import type { ApiRequester } from './api-requester';
import { AsyncJobListing } from './async-job-listing';
import type { ResponseBody } from './envelope';

const PAGE = 2;

/** A CloudStack whose account has `jobs` (id → jobstatus) in id order, answering listAsyncJobs pages. */
function cloud(jobs: [string, number][], fail?: () => Error) {
  const pages: number[] = [];
  const params: Record<string, string>[] = [];
  const requester = {
    async request(command: string, p: Record<string, string>): Promise<ResponseBody> {
      expect(command).toBe('listAsyncJobs');
      params.push(p);
      if (fail) throw fail();
      const page = Number(p.page);
      pages.push(page);
      const slice = jobs.slice((page - 1) * PAGE, page * PAGE).map(([jobid, jobstatus]) => ({ jobid, jobstatus }));
      return slice.length > 0 ? { count: jobs.length, asyncjobs: slice } : { count: jobs.length };
    },
  } as unknown as ApiRequester;
  const listing = new AsyncJobListing(requester, PAGE);
  /** A sweep that must have answered (not failed). */
  const sweep = async (ids: string[]): Promise<Map<string, ResponseBody>> => {
    const found = await listing.sweep(new Set(ids));
    if (!found) throw new Error('the sweep failed');
    return found;
  };
  return { listing, sweep, pages, params, jobs };
}

describe('AsyncJobListing', () => {
  it('asks for the account jobs since the day before, in pages of its size, and stops once every wanted job is found', async () => {
    const { sweep, pages, params } = cloud([['a', 1], ['b', 1], ['c', 0], ['d', 1], ['e', 0]]);
    const found = await sweep(['c', 'd']);
    expect([...found.keys()].sort()).toEqual(['c', 'd']);
    expect(found.get('c')).toEqual({ jobid: 'c', jobstatus: 0 });
    expect(pages).toEqual([1, 2]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(params[0]).toEqual({ startdate: yesterday, page: '1', pagesize: String(PAGE) });
    expect(new Set(params.map((p) => p.startdate)).size).toBe(1);
  });

  it('starts the next sweep at the page of the oldest job still pending, where jobs submitted later come after', async () => {
    const { sweep, pages, jobs } = cloud([['a', 1], ['b', 1], ['c', 0], ['d', 1], ['e', 0]]);
    await sweep(['c', 'd', 'e']);
    pages.length = 0;
    jobs.push(['f', 0]);
    const found = await sweep(['c', 'e', 'f']);
    expect(found.size).toBe(3);
    expect(pages).toEqual([2, 3]);
  });

  it('stops when more pages are left than jobs unfound (one query each is cheaper), then starts where the newest jobs are', async () => {
    const { sweep, pages } = cloud([['a', 1], ['b', 1], ['c', 1], ['d', 1], ['e', 1], ['f', 1], ['g', 0], ['h', 0]]);
    // Page 1 holds neither wanted job and 3 pages are left: the caller asks for g and h alone.
    expect((await sweep(['g', 'h'])).size).toBe(0);
    expect(pages).toEqual([1]);
    pages.length = 0;
    expect([...(await sweep(['g', 'h'])).keys()]).toEqual(['g', 'h']);
    expect(pages).toEqual([4]);
  });

  it('after the list shrank (CloudStack expunged old jobs) and a sweep reached its end without a job, starts where the newest jobs are', async () => {
    const { sweep, pages, jobs } = cloud([['a', 1], ['b', 1], ['c', 1], ['d', 1], ['e', 0], ['f', 0]]);
    await sweep(['e', 'f']);
    jobs.splice(0, 3); // a, b and c expunged: e and f move to page 2
    pages.length = 0;
    expect((await sweep(['e', 'f'])).size).toBe(0);
    expect(pages).toEqual([3]);
    pages.length = 0;
    expect((await sweep(['e', 'f'])).size).toBe(2);
    expect(pages).toEqual([1, 2]);
  });

  it('reads at most 3 pages a sweep, so a tick stays short; the jobs left are queried alone', async () => {
    const { sweep, pages } = cloud([['a', 0], ['b', 1], ['c', 0], ['d', 1], ['e', 0], ['f', 1], ['g', 0], ['h', 0]]);
    const found = await sweep(['a', 'c', 'e', 'g', 'h']);
    expect([...found.keys()]).toEqual(['a', 'c', 'e']);
    expect(pages).toEqual([1, 2, 3]);
  });

  it('lists from the day before a poll loop starts, and from page 1 again once that day has changed', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T23:59:00Z') });
    try {
      const { listing, sweep, pages, params } = cloud([['a', 1], ['b', 1], ['c', 0], ['d', 0]]);
      listing.restart();
      await sweep(['c', 'd']);
      listing.restart(); // same day: the position is kept
      await sweep(['c', 'd']);
      jest.setSystemTime(new Date('2026-12-06T00:01:00Z'));
      listing.restart();
      await sweep(['c', 'd']);
      expect(params.map((p) => p.startdate)).toEqual(['2026-12-04', '2026-12-04', '2026-12-04', '2026-12-05', '2026-12-05']);
      expect(pages).toEqual([1, 2, 2, 1, 2]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('gives up listing for good when CloudStack refuses the command, and answers nothing for this tick on a transient error', async () => {
    const refused = cloud([], () => new CloudStackApiError({
      command: 'listAsyncJobs', params: {}, httpStatus: 401, errorCode: 401,
      errorText: 'The given command does not exist or it is not available for the user',
    }));
    expect((await refused.sweep(['a', 'b'])).size).toBe(0);
    expect(refused.listing.usable).toBe(false);

    // Still failing after the requester's retries: no answer this tick (the caller asks nothing more), listing kept.
    const busy = cloud([], () => new CloudStackApiError({ command: 'listAsyncJobs', params: {}, httpStatus: 503, errorText: 'busy' }));
    expect(await busy.listing.sweep(new Set(['a', 'b']))).toBeUndefined();
    expect(busy.listing.usable).toBe(true);
  });
});
