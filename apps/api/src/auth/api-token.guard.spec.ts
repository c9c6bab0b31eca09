import { UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { tokenAuthMiddleware } from '../bull-board/token-auth.middleware';
import { ApiTokenGuard } from './api-token.guard';

const TOKEN = 'api-token-0123456789abcdef';
const MALFORMED = 'hostnet_token=%E0%A4%A';

interface Sent {
  method: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
}
const requestOf = ({ method, headers = {}, query = {} }: Sent) => ({ method, headers, query, originalUrl: '/x', secure: false }) as unknown as Request;
const contextOf = (sent: Sent) => ({ switchToHttp: () => ({ getRequest: () => requestOf(sent) }) }) as unknown as ExecutionContext;

describe('ApiTokenGuard', () => {
  const guard = new ApiTokenGuard(TOKEN);
  const allows = (sent: Sent) => {
    try {
      return guard.canActivate(contextOf(sent));
    } catch (error) {
      if (error instanceof UnauthorizedException) return false;
      throw error;
    }
  };

  it('takes the Bearer header for any method', () => {
    expect(allows({ method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
    expect(allows({ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
    expect(allows({ method: 'POST', headers: { authorization: 'Bearer wrong' } })).toBe(false);
    // the scheme is case-insensitive
    expect(allows({ method: 'POST', headers: { authorization: `bearer ${TOKEN}` } })).toBe(true);
    expect(allows({ method: 'POST', headers: { authorization: `BEARER  ${TOKEN}` } })).toBe(true);
  });

  it('takes the cookie or ?token= for GET and HEAD only: a POST riding the cookie alone is refused (CSRF)', () => {
    const cookie = { cookie: `hostnet_token=${encodeURIComponent(TOKEN)}` };
    expect(allows({ method: 'GET', headers: cookie })).toBe(true);
    expect(allows({ method: 'HEAD', headers: cookie })).toBe(true);
    expect(allows({ method: 'GET', query: { token: TOKEN } })).toBe(true);
    expect(allows({ method: 'POST', headers: cookie })).toBe(false);
    expect(allows({ method: 'DELETE', headers: cookie })).toBe(false);
    expect(allows({ method: 'POST', query: { token: TOKEN } })).toBe(false);
    expect(() => guard.canActivate(contextOf({ method: 'POST', headers: cookie }))).toThrow(/only authenticates GET and HEAD/);
  });

  it('tells a wrong token from none: the fix is which token, not how to send it', () => {
    expect(() => guard.canActivate(contextOf({ method: 'POST', headers: { authorization: 'Bearer wrong-token' } }))).toThrow("the token sent is not this api's API_TOKEN");
    expect(() => guard.canActivate(contextOf({ method: 'GET', query: { token: 'wrong-token' } }))).toThrow("the token sent is not this api's API_TOKEN");
    expect(() => guard.canActivate(contextOf({ method: 'POST' }))).toThrow(/^send Authorization: Bearer <API_TOKEN>/);
  });

  it('answers a cookie that does not percent-decode with 401, not an exception', () => {
    expect(() => guard.canActivate(contextOf({ method: 'GET', headers: { cookie: MALFORMED } }))).toThrow(UnauthorizedException);
  });
});

describe('tokenAuthMiddleware (Bull Board, OpenAPI)', () => {
  const run = (sent: Sent) => {
    let status = 0;
    let passed = false;
    const response = {
      status: (code: number) => ((status = code), response),
      json: () => response,
      append: () => response,
      redirect: (code: number) => (status = code),
    } as unknown as Response;
    tokenAuthMiddleware(TOKEN)(requestOf(sent), response, () => (passed = true));
    return passed ? 'next' : status;
  };

  it('lets reads through with the cookie, refuses a cookie-only write and a malformed cookie with 401', () => {
    expect(run({ method: 'GET', headers: { cookie: `hostnet_token=${TOKEN}` } })).toBe('next');
    expect(run({ method: 'GET', query: { token: TOKEN } })).toBe(303);
    expect(run({ method: 'POST', headers: { cookie: `hostnet_token=${TOKEN}` } })).toBe(401);
    expect(run({ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).toBe('next');
    expect(run({ method: 'GET', headers: { cookie: MALFORMED } })).toBe(401);
  });
});
