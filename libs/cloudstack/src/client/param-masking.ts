/** Parameters that authenticate a request: never logged, never put in an error. */
const DROPPED = new Set(['apikey', 'signature', 'secretkey', 'sessionkey']);
/** Parameters whose value is sensitive but whose presence is useful to see. */
const MASKED = new Set(['password']);

/**
 * The copy of a request's parameters that may appear in logs and errors: credentials and the
 * signature removed, passwords replaced by `***`, and the `command`/`response` plumbing omitted.
 */
export function sanitizeParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    const key = name.toLowerCase();
    if (DROPPED.has(key) || key === 'command' || key === 'response') continue;
    out[name] = MASKED.has(key) ? '***' : value;
  }
  return out;
}

/** Masks credential-bearing query parameters in a URL or form string (for any logged URL). */
export function maskUrl(url: string): string {
  return url.replace(
    /([?&](?:apikey|signature|secretkey|sessionkey|password)=)[^&#]*/gi,
    (_m, prefix: string) => `${prefix}***`,
  );
}

/** One-line `k=v k=v` rendering of sanitized params for log lines. */
export function describeParams(params: Record<string, string>): string {
  return Object.entries(sanitizeParams(params))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}
