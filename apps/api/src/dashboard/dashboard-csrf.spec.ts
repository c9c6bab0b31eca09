import type { Request, Response } from 'express';
import { DashboardCsrf, SESSION_COOKIE } from './dashboard-csrf';

const SESSION = 'a'.repeat(43);
const request = (headers: Record<string, string>): Request => ({ headers: { host: 'api.example:3000', ...headers }, secure: false }) as unknown as Request;

describe('DashboardCsrf', () => {
  const csrf = new DashboardCsrf('api-token-0123456789');
  const token = csrf.tokenFor(SESSION);

  it('accepts the token bound to the session cookie', () => {
    expect(csrf.refusal(request({ cookie: `${SESSION_COOKIE}=${SESSION}`, 'x-csrf-token': token, origin: 'http://api.example:3000' }))).toBeUndefined();
  });

  it('refuses a missing session, a missing or foreign token, and another origin', () => {
    expect(csrf.refusal(request({ 'x-csrf-token': token }))).toMatch(/no dashboard session/);
    expect(csrf.refusal(request({ cookie: `${SESSION_COOKIE}=${SESSION}` }))).toMatch(/missing x-csrf-token/);
    expect(csrf.refusal(request({ cookie: `${SESSION_COOKIE}=${'b'.repeat(43)}`, 'x-csrf-token': token }))).toMatch(/does not match/);
    expect(csrf.refusal(request({ cookie: `${SESSION_COOKIE}=${SESSION}`, 'x-csrf-token': token, origin: 'https://evil.example' }))).toMatch(/cross-origin/);
    expect(csrf.refusal(request({ cookie: `${SESSION_COOKIE}=${SESSION}`, 'x-csrf-token': token, origin: 'null' }))).toMatch(/cross-origin/);
  });

  it('ties tokens to the API token, so rotating it revokes them', () => {
    expect(new DashboardCsrf('another-token-0123456789').tokenFor(SESSION)).not.toBe(token);
  });

  it('issues an HttpOnly SameSite=Strict session cookie once', () => {
    const cookies: string[] = [];
    const response = { append: (_: string, value: string) => cookies.push(value) } as unknown as Response;
    const id = csrf.ensureSession(request({}), response);
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookies[0]).toBe(`${SESSION_COOKIE}=${id}; Path=/dashboard; HttpOnly; SameSite=Strict`);
    expect(csrf.ensureSession(request({ cookie: `${SESSION_COOKIE}=${SESSION}` }), response)).toBe(SESSION);
    expect(cookies).toHaveLength(1);
  });
});
