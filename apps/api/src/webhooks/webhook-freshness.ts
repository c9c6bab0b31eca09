/**
 * Replay defence, part one: how old a delivery is by the event's own `eventDateTime`, which is inside
 * the signed body (X-CS-Event-ID is a header, outside the signature, so it proves nothing).
 * CloudStack writes `yyyy-MM-dd HH:mm:ss Z` (`2024-05-14 10:22:11 +0000`); ISO 8601 is accepted too.
 */
const EVENT_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds since the epoch, or undefined for anything without a date, a time and a zone. */
export function parseEventTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = EVENT_TIME.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((frac ?? '0').padEnd(3, '0').slice(0, 3)));
  if (Number.isNaN(utc) || new Date(utc).getUTCDate() !== Number(d)) return undefined;
  if (zone === 'Z') return utc;
  const sign = zone!.startsWith('-') ? -1 : 1;
  const digits = zone!.slice(1).replace(':', '');
  return utc - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/** Why a delivery is too old (or too far ahead) to act on, or undefined when it is fresh. */
export function staleDeliveryReason(body: unknown, nowMs: number, maxAgeSeconds: number): string | undefined {
  const raw = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).eventDateTime : undefined;
  const at = parseEventTime(raw);
  if (at === undefined) return 'replay check: the body has no eventDateTime with a time zone, so its age is unknown';
  const ageSeconds = Math.round((nowMs - at) / 1000);
  if (ageSeconds > maxAgeSeconds) return `replay check: the event is ${ageSeconds} s old, over WEBHOOK_MAX_AGE_SECONDS (${maxAgeSeconds})`;
  if (-ageSeconds > maxAgeSeconds) return `replay check: the event is ${-ageSeconds} s in the future; check the clocks of CloudStack and hostnet`;
  return undefined;
}
