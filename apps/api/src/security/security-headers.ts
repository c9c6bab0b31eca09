import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * What every JSON route gets: nothing may load, frame or submit anything. Pages that do render
 * (the dashboard) replace it with their own, stricter-where-it-matters policy (a per-response nonce).
 */
export const API_CSP = ["default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join('; ');

/**
 * Swagger UI and Bull Board are third-party pages: their scripts and stylesheets are served by api
 * itself ('self'), but both put style attributes and <style> blocks in their markup, and draw
 * icons from data: URLs. No remote origin is allowed (Bull Board's Google Fonts link is blocked).
 */
export const UI_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Path prefixes served by the third-party UIs above. */
const UI_PATHS = ['/docs', '/admin/queues'];

/** helmet's defaults that apply to an API behind a token, without the dependency. */
const FIXED_HEADERS: ReadonlyArray<[string, string]> = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['Origin-Agent-Cluster', '?1'],
];

/** The Content-Security-Policy a path starts with (a handler may still set its own). */
export function cspFor(path: string): string {
  const ui = UI_PATHS.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}-`));
  return ui ? UI_CSP : API_CSP;
}

/**
 * Express middleware setting the security headers on every response, errors and 404s included.
 * Mount it before any route. Strict-Transport-Security is left to the TLS-terminating proxy: api
 * itself listens on plain HTTP (see README "Security").
 */
export function securityHeaders(): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    for (const [name, value] of FIXED_HEADERS) response.setHeader(name, value);
    response.setHeader('Content-Security-Policy', cspFor(request.path));
    response.removeHeader('X-Powered-By');
    next();
  };
}
