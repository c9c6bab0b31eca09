const TZ_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses an `expires` value the way DateUtil.parseTZDateString accepts it: ISO-8601 with `Z`,
 * `+05:30` or `+0530`, optionally with fractional seconds. Returns undefined when unparseable.
 */
export function parseExpires(value: string): Date | undefined {
  const match = TZ_DATE.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
