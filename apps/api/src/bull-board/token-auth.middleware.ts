import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { tokenMatches } from '../auth/api-token.guard';
import { isReadMethod, presentedToken } from '../auth/presented-token';
import { setTokenCookie, tokenInQuery, urlWithoutToken } from '../dashboard/token-cookie';

/**
 * ApiTokenGuard's check as plain express middleware, for routers Nest does not own (Bull Board,
 * the OpenAPI page): the cookie or `?token=` only for reads.
 * A valid `?token=` GET sets the HttpOnly cookie and redirects to the same URL without it, so the
 * board's own asset and API requests carry the cookie.
 */
export function tokenAuthMiddleware(token: string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const read = isReadMethod(request.method);
    if (!tokenMatches(token, presentedToken(request, { cookie: read, query: read }))) {
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
