import type { Request } from 'express';
import { TOKEN_COOKIE } from '../dashboard/token-cookie';

/** Where besides `Authorization: Bearer …` a check takes the token from. */
export interface TokenSources {
  /** The HttpOnly hostnet_token cookie (a browser sends it on any request, cross-site forms included). */
  cookie: boolean;
  /** `?token=`, a browser's first load. */
  query: boolean;
}

/**
 * The API token a request presents: the Bearer header, else the cookie, else `?token=`, each only
 * where `sources` allows; '' when there is none. A cookie that does not percent-decode is no token
 * (a 401), never an exception (a 500).
 */
export function presentedToken(request: Pick<Request, 'headers' | 'query'>, sources: TokenSources): string {
  const header = request.headers.authorization ?? '';
  // the scheme is case-insensitive (RFC 9110 11.1): `bearer x` is the same credential
  const bearer = /^bearer +(.*)$/i.exec(header);
  if (bearer) return bearer[1]!.trim();
  if (sources.cookie) {
    const cookie = new RegExp(`(?:^|;\\s*)${TOKEN_COOKIE}=([^;]+)`).exec(request.headers.cookie ?? '');
    if (cookie?.[1]) return safeDecode(cookie[1]);
  }
  return sources.query && typeof request.query?.token === 'string' ? request.query.token : '';
}

/**
 * Reads only: the methods for which a cookie or `?token=` alone may authenticate. Anything else
 * carrying only the cookie could be a cross-site form (CSRF), so it needs the header.
 */
export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '';
  }
}
