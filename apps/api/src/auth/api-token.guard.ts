import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isReadMethod, presentedToken } from './presented-token';

export const API_TOKEN = Symbol('API_TOKEN');

/**
 * The REST API's token check: the Bearer header; the cookie or `?token=` only for GET/HEAD, so a
 * cross-site form riding the browser's cookie cannot change anything.
 */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(@Inject(API_TOKEN) private readonly token: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const read = isReadMethod(request.method);
    const presented = presentedToken(request, { cookie: read, query: read });
    if (tokenMatches(this.token, presented)) return true;
    // A token that came but is not this api's is told apart from none: the fix differs (which token, not how to send it).
    if (presented !== '') throw new UnauthorizedException("the token sent is not this api's API_TOKEN: send the API_TOKEN the api was started with");
    throw new UnauthorizedException(read ? 'send Authorization: Bearer <API_TOKEN>' : 'send Authorization: Bearer <API_TOKEN> (a cookie or ?token= only authenticates GET and HEAD)');
  }
}

/** Constant-time comparison over digests, so neither content nor length leaks through timing. */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return presented.length > 0 && timingSafeEqual(a, b);
}
