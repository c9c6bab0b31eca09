import { ApiError } from '../protocol/api-error';
import type { CommandOutcome } from './command-definition';
import type { ParamReader } from './param-reader';

/** CloudStack's `default.page.size`, also the maximum allowed `pagesize`. */
export const DEFAULT_PAGE_SIZE = 500;
const UNLIMITED = -1;

/** Applies BaseListCmd's page/pagesize rules to `items` and returns the list outcome (count = total). */
export function pagedList<T>(
  params: ParamReader, objectName: string, items: T[], present: (item: T) => Record<string, unknown>,
): CommandOutcome {
  const page = params.integer('page');
  const pageSize = params.integer('pagesize');
  if (page === undefined && pageSize !== undefined && pageSize !== UNLIMITED) {
    throw ApiError.param('"page" parameter is required when "pagesize" is specified');
  }
  if (pageSize === undefined && page !== undefined) {
    throw ApiError.param('"pagesize" parameter is required when "page" is specified');
  }
  if (pageSize !== undefined && pageSize > DEFAULT_PAGE_SIZE) {
    throw ApiError.invalidValue(`Page size can't exceed max allowed page size value: ${DEFAULT_PAGE_SIZE}`);
  }
  if (pageSize === UNLIMITED && page !== undefined) {
    throw ApiError.invalidValue("Can't specify page parameter when pagesize is -1 (Unlimited)");
  }
  let slice = items;
  if (pageSize !== UNLIMITED) {
    const size = pageSize ?? DEFAULT_PAGE_SIZE;
    const start = page !== undefined && page > 0 ? size * (page - 1) : 0;
    slice = items.slice(start, start + size);
  }
  return { kind: 'list', objectName, items: slice.map(present), count: items.length };
}

/** Case-insensitive equality used for string filters (MySQL's default collation behaves so). */
export function sameText(a: string | undefined, b: string): boolean {
  return a === undefined || a.toLowerCase() === b.toLowerCase();
}

/** `keyword` filter: case-insensitive substring of the name. */
export function matchesKeyword(keyword: string | undefined, name: string): boolean {
  return keyword === undefined || keyword === '' || name.toLowerCase().includes(keyword.toLowerCase());
}
