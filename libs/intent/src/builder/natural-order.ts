/** Orders names so that digits compare as numbers: eth2 < eth10, cloudbr1 < cloudbr100. */
export function compareNatural(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts a copy of `items` by `key` in natural order. */
export function sortByName<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareNatural(key(x), key(y)));
}
