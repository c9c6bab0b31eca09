import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { presentedToken, tokenMatches } from '../auth/api-token.guard';
import { setTokenCookie, tokenInQuery, urlWithoutToken } from '../dashboard/token-cookie';

/**
 * ApiTokenGuard's check as plain express middleware, for routers Nest does not own (Bull Board).
 * A valid `?token=` GET sets the HttpOnly cookie and redirects to the same URL without it, so the
 * board's own asset and API requests carry the cookie.
 */
export function tokenAuthMiddleware(token: string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!tokenMatches(token, presentedToken(request))) {
      response.status(401).json({ statusCode: 401, message: 'send Authorization: Bearer <API_TOKEN>', error: 'Unauthorized' });
      return;
    }
    if (tokenInQuery(request) && request.method === 'GET') {
      setTokenCookie(response, token, request.secure);
      response.redirect(303, urlWithoutToken(request.originalUrl));
      return;
    }
    next();
  };
}
