/**
 * The items an operator's name picks, as every lookup by name does (zones, clusters, hosts): those named
 * exactly so, else those named so in another case. Several are the caller's to refuse as ambiguous.
 */
export function namedAs<T>(items: readonly T[], wanted: string, nameOf: (item: T) => string | undefined): T[] {
  const exact = items.filter((item) => nameOf(item) === wanted);
  if (exact.length > 0) return exact;
  const lower = wanted.toLowerCase();
  return items.filter((item) => nameOf(item)?.toLowerCase() === lower);
}
