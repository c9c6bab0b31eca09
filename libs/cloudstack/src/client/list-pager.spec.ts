import { ResponseBody } from './envelope';
import { fetchAllPages } from './list-pager';

/** A fake server: `total` items served `pageSize` at a time, CloudStack-style. */
function pagedServer(total: number) {
  const pages: number[] = [];
  const fetchPage = async (page: number, pageSize: number): Promise<ResponseBody> => {
    pages.push(page);
    if (total === 0) return {};
    const start = (page - 1) * pageSize;
    const slice = Array.from({ length: Math.max(0, Math.min(pageSize, total - start)) }, (_, i) => ({ id: start + i }));
    return slice.length ? { count: total, host: slice } : { count: total };
  };
  return { pages, fetchPage };
}

describe('fetchAllPages', () => {
  it.each([
    [0, [1]],
    [1, [1]],
    [500, [1]],
    [501, [1, 2]],
    [1234, [1, 2, 3]],
  ])('collects %i items with page calls %j', async (total, expectedPages) => {
    const server = pagedServer(total);
    const items = await fetchAllPages('listHosts', 'host', server.fetchPage);
    expect(items).toHaveLength(total);
    expect(server.pages).toEqual(expectedPages);
    expect(new Set(items.map((i) => (i as { id: number }).id)).size).toBe(total);
  });

  it('stops on a page past the end (count but no array)', async () => {
    // count claims 3 but the server only ever returns 2: the missing array ends the loop.
    const fetchPage = jest.fn(async (page: number): Promise<ResponseBody> =>
      page === 1 ? { count: 3, host: [{ id: 1 }, { id: 2 }] } : { count: 3 },
    );
    await expect(fetchAllPages('listHosts', 'host', fetchPage, 2)).resolves.toHaveLength(2);
    expect(fetchPage).toHaveBeenCalledTimes(2);
  });

  it('treats a list without count as a single page', async () => {
    const fetchPage = jest.fn(async (): Promise<ResponseBody> => ({ zone: [{ id: 'a' }] }));
    await expect(fetchAllPages('listZones', 'zone', fetchPage)).resolves.toEqual([{ id: 'a' }]);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('rejects a non-array object list', async () => {
    await expect(fetchAllPages('listZones', 'zone', async () => ({ count: 1, zone: { id: 'a' } }))).rejects.toThrow(
      /"zone" is not an array/,
    );
  });
});
