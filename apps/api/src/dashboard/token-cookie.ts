import type { Request, Response } from 'express';

/** The cookie auth/presented-token reads; set after a valid `?token=` first load. */
export const TOKEN_COOKIE = 'hostnet_token';

/** HttpOnly so page scripts never see the token; Path=/ so the dashboard and Bull Board share it. */
export function setTokenCookie(response: Response, token: string, secure: boolean): void {
  const parts = [`${TOKEN_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) parts.push('Secure');
  response.append('Set-Cookie', parts.join('; '));
}

/** True when the request carried the token in its query string (a browser's first load). */
export function tokenInQuery(request: Pick<Request, 'query'>): boolean {
  return typeof request.query?.token === 'string';
}

/** The same URL without `token=`, so the secret leaves the address bar and browser history. */
export function urlWithoutToken(originalUrl: string): string {
  const url = new URL(originalUrl, 'http://placeholder');
  url.searchParams.delete('token');
  // Collapse leading slashes: "//other.example" would turn the redirect into an open redirect.
  return `${url.pathname.replace(/^\/+/, '/')}${url.search}`;
}
