import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';

/** HttpOnly cookie naming the browser's dashboard session; CSRF tokens are bound to it. */
export const SESSION_COOKIE = 'hostnet_dashboard_session';
/** Header the page's script sends each action's token in. */
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-issued CSRF tokens bound to a session: token = HMAC(key, session id), key derived from
 * API_TOKEN so every api replica issues and checks the same tokens and rotating the API token
 * revokes them. A page from another site never learns the token (it cannot read ours), and the
 * session cookie alone proves nothing.
 */
export class DashboardCsrf {
  private readonly key: Buffer;

  constructor(apiToken: string) {
    this.key = createHash('sha256').update(`hostnet dashboard csrf\0${apiToken}`).digest();
  }

  /** The request's session id, or a fresh one set as a cookie on `response`. */
  ensureSession(request: Request, response: Response): string {
    const existing = sessionOf(request);
    if (existing) return existing;
    const id = randomBytes(32).toString('base64url');
    const parts = [`${SESSION_COOKIE}=${id}`, 'Path=/dashboard', 'HttpOnly', 'SameSite=Strict'];
    if (request.secure) parts.push('Secure');
    response.append('Set-Cookie', parts.join('; '));
    return id;
  }

  tokenFor(sessionId: string): string {
    return createHmac('sha256', this.key).update(sessionId).digest('base64url');
  }

  /** Why the request must be refused, or undefined when its session and token agree. */
  refusal(request: Request): string | undefined {
    const session = sessionOf(request);
    if (!session) return 'no dashboard session: load the dashboard page first';
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || presented.length === 0) return `missing ${CSRF_HEADER} header`;
    const expected = Buffer.from(this.tokenFor(session));
    const given = Buffer.from(presented);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return `${CSRF_HEADER} does not match this session`;
    const origin = request.headers.origin;
    if (origin !== undefined && hostOf(origin) !== request.headers.host) return `cross-origin request from ${origin}`;
    return undefined;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined; // "null" (sandboxed or file: pages) and garbage never match
  }
}

function sessionOf(request: Pick<Request, 'headers'>): string | undefined {
  const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(request.headers.cookie ?? '');
  return match?.[1] && SESSION_ID.test(match[1]) ? match[1] : undefined;
}
