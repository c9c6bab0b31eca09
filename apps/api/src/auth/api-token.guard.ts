import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';

export const API_TOKEN = Symbol('API_TOKEN');

/** Bearer-token check shared by the REST API, the dashboard and Bull Board. */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(@Inject(API_TOKEN) private readonly token: string) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!tokenMatches(this.token, presentedToken(request))) {
      throw new UnauthorizedException('send Authorization: Bearer <API_TOKEN>');
    }
    return true;
  }
}

/** Token from `Authorization: Bearer …`, or `?token=` for the browser dashboard's first load. */
export function presentedToken(request: Pick<Request, 'headers' | 'query'>): string {
  const header = request.headers.authorization ?? '';
  if (header.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  const cookie = /(?:^|;\s*)hostnet_token=([^;]+)/.exec(request.headers.cookie ?? '');
  if (cookie?.[1]) return decodeURIComponent(cookie[1]);
  return typeof request.query?.token === 'string' ? request.query.token : '';
}

/** Constant-time comparison over digests, so neither content nor length leaks through timing. */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return presented.length > 0 && timingSafeEqual(a, b);
}
