const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Orders names as people read them: kvm2 before kvm10, case-insensitive; ties broken by code points. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
