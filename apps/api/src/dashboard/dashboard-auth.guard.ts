import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { API_TOKEN, tokenMatches } from '../auth/api-token.guard';
import { isReadMethod, presentedToken } from '../auth/presented-token';
import { DASHBOARD_CSRF } from './dashboard.tokens';
import type { DashboardCsrf } from './dashboard-csrf';

const QUERY_TOKEN = 'hostnet:dashboard:query-token';
/** The one route that takes `?token=`: the page's first load, which moves it into a cookie. */
export const AcceptsQueryToken = () => SetMetadata(QUERY_TOKEN, true);

/**
 * The dashboard's own check, stricter than ApiTokenGuard: the token comes from the Authorization
 * header or the HttpOnly cookie, `?token=` only where @AcceptsQueryToken says so, and anything but
 * GET/HEAD also needs the session's CSRF token (403 without it), whatever credential came with it.
 */
@Injectable()
export class DashboardAuthGuard implements CanActivate {
  constructor(
    @Inject(API_TOKEN) private readonly token: string,
    @Inject(DASHBOARD_CSRF) private readonly csrf: DashboardCsrf,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const queryAllowed = this.reflector.get<boolean>(QUERY_TOKEN, context.getHandler()) === true;
    const presented = presentedToken(request, { cookie: true, query: queryAllowed });
    if (!tokenMatches(this.token, presented)) {
      // a token that came but does not match is a different mistake from none at all (a stale cookie, another api's token)
      const why = presented ? "the token given is not this api's API_TOKEN" : "no API token in the Authorization header or the dashboard's cookie";
      throw new UnauthorizedException(`${why}: send Authorization: Bearer <API_TOKEN>, or open /dashboard?token=<API_TOKEN> once`);
    }
    if (isReadMethod(request.method)) return true;
    const refusal = this.csrf.refusal(request);
    if (refusal) throw new ForbiddenException(`CSRF check failed: ${refusal}`);
    return true;
  }
}
