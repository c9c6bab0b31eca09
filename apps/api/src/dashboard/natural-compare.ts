/**
 * A string whose plain code-point order is the natural order of `name`: lower-cased, every run of
 * digits zero-padded to 15 places, so kvm2 → "kvm000000000000002" sorts before kvm10. Sorting a
 * thousand hosts on precomputed keys is a plain string sort, not a thousand locale comparisons.
 */
export function naturalKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(15, '0'));
}

/** Orders names as people read them: kvm2 before kvm10, case-insensitively; exact ties by code points. */
export function naturalCompare(a: string, b: string): number {
  return compareStrings(naturalKey(a), naturalKey(b)) || compareStrings(a, b);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
