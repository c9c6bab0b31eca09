/**
 * hostnet's one natural order, in two flavours: `compareNatural` (exact, case-sensitive) orders what
 * hostnet renders, so it must never change; `naturalKey` / `compareNaturalIgnoringCase` order the
 * names people read in lists (dashboard, CLI reports).
 */

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
  return compareCodePoints(a, b);
}

/** Sorts a copy of `items` by `key` in natural order. */
export function sortByName<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  return [...items].sort((x, y) => compareNatural(key(x), key(y)));
}

/**
 * A string whose plain code-point order is the case-insensitive natural order of `name`: lower-cased,
 * every run of digits zero-padded to 15 places, so kvm2 → "kvm000000000000002" sorts before kvm10.
 * Sorting a thousand hosts on precomputed keys is a plain string sort, not a thousand tokenisations.
 */
export function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(15, '0'));
}

/** Orders names as people read them: kvm2 before kvm10, case-insensitively; exact ties by code points. */
export function compareNaturalIgnoringCase(a: string, b: string): number {
  return compareCodePoints(naturalKey(a), naturalKey(b)) || compareCodePoints(a, b);
}

/** Plain code-point order, independent of the machine's locale. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
