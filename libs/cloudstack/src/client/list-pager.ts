import { CloudStackProtocolError } from '../errors/cloudstack-error';
import { ResponseBody } from './envelope';

/** CloudStack's default.page.size, the largest page a stock server accepts (FACTS §2.1). */
export const PAGE_SIZE = 500;
/** Guard against a server whose `count` never stops growing. */
const MAX_PAGES = 10_000;

/**
 * Collects every item of a list command. Rules (FACTS §2.0/2.1): `{}` is an empty list; `count`
 * is the total across pages; a page past the end carries `count` but no array. Stops when the
 * accumulated items reach `count` or a page has no items.
 */
export async function fetchAllPages(
  command: string,
  objectName: string,
  fetchPage: (page: number, pageSize: number) => Promise<ResponseBody>,
  pageSize = PAGE_SIZE,
): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const body = await fetchPage(page, pageSize);
    const list = body[objectName];
    if (list === undefined) return items;
    if (!Array.isArray(list)) {
      throw new CloudStackProtocolError(`CloudStack ${command}: "${objectName}" is not an array`, command);
    }
    if (list.length === 0) return items;
    items.push(...list);
    const count = typeof body.count === 'number' ? body.count : Number(body.count);
    if (!Number.isFinite(count) || items.length >= count) return items;
  }
  throw new CloudStackProtocolError(`CloudStack ${command}: still paging after ${MAX_PAGES} pages`, command);
}
