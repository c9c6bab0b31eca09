/** How often each host saw one kind of event in a rollout, against how often it had to. */
export interface OnceCheck {
  /** What every host had to show: 1 (exactly once) or 0 (never). */
  expected: number;
  hosts: number;
  min: number;
  max: number;
  /** Hosts whose count was not `expected` (up to 5), as `name: count`. */
  off: string[];
  ok: boolean;
}

/** Checks that every host of `hosts` was counted exactly `expected` times in `counts` (a host missing counts 0). */
export function checkCounts(hosts: readonly string[], counts: ReadonlyMap<string, number>, expected: number): OnceCheck {
  const values = hosts.map((host) => counts.get(host) ?? 0);
  const offHosts = hosts.filter((host) => (counts.get(host) ?? 0) !== expected);
  // a count for a host outside the zone is a fault too (a result naming a host nobody asked for)
  const strangers = [...counts.keys()].filter((key) => !hosts.includes(key));
  const off = [...offHosts, ...strangers].slice(0, 5).map((host) => `${host}: ${counts.get(host) ?? 0}`);
  return {
    expected,
    hosts: hosts.length,
    min: values.length > 0 ? Math.min(...values) : 0,
    max: values.length > 0 ? Math.max(...values) : 0,
    off,
    ok: offHosts.length === 0 && strangers.length === 0,
  };
}

/** How many times each key occurs. */
export function countBy(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Per host, `after - before` of a counter read in the same host order. */
export function deltas(names: readonly string[], before: readonly number[], after: readonly number[]): Map<string, number> {
  return new Map(names.map((name, i) => [name, (after[i] ?? 0) - (before[i] ?? 0)]));
}
