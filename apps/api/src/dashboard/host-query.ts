import { z } from 'zod';
import { HOST_PHASES } from '../hosts/host-status.types';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULT_PAGE_SIZE = 50;
const field = z.string().trim().max(128).optional().transform((v) => (v ? v : undefined));

/**
 * The dashboard's filters and page, from the query string of the page, its event stream and its
 * fragments. `phase` also takes `attention` (every host listed first). Unknown keys are ignored;
 * bad values fall back to defaults rather than failing a page an operator bookmarked: a misspelt phase
 * (`enabld`) shows every phase, as the filter form then says, instead of an empty list that looks like
 * a zone with no hosts.
 */
const hostQuerySchema = z.object({
  q: field,
  zone: field,
  pod: field,
  cluster: field,
  phase: field.pipe(z.enum(['attention', ...HOST_PHASES]).optional()).catch(undefined),
  target: field,
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .catch(DEFAULT_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE),
});
export type HostQuery = z.infer<typeof hostQuerySchema>;

export const FILTER_KEYS = ['q', 'zone', 'pod', 'cluster', 'phase', 'target'] as const;

export function parseHostQuery(raw: unknown): HostQuery {
  const input = raw && typeof raw === 'object' ? raw : {};
  const firstOf = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const parsed = hostQuerySchema.safeParse(firstOf);
  return parsed.success ? parsed.data : hostQuerySchema.parse({});
}

/** The query string of `query` with `changes` applied; defaults are left out so URLs stay short. */
export function querySearch(query: HostQuery, changes: Partial<HostQuery> = {}): string {
  const merged = { ...query, ...changes };
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (merged[key]) params.set(key, merged[key]!);
  if (merged.page > 1) params.set('page', String(merged.page));
  if (merged.size !== DEFAULT_PAGE_SIZE) params.set('size', String(merged.size));
  const search = params.toString();
  return search ? `?${search}` : '';
}
