import type { Request, Response } from 'express';
import { API_CSP, cspFor, securityHeaders, UI_CSP } from './security-headers';

describe('securityHeaders', () => {
  it.each([
    ['/docs', UI_CSP],
    ['/docs/swagger-ui-bundle.js', UI_CSP],
    ['/docs-json', UI_CSP],
    ['/admin/queues/api/queues', UI_CSP],
    ['/hosts', API_CSP],
    ['/docsx', API_CSP],
    ['/dashboard', API_CSP],
  ])('picks the policy for %s', (path, csp) => {
    expect(cspFor(path)).toBe(csp);
  });

  it('sets the headers, drops X-Powered-By and passes on', () => {
    const headers = new Map<string, string>([['X-Powered-By', 'Express']]);
    const response = {
      setHeader: (k: string, v: string) => headers.set(k, v),
      removeHeader: (k: string) => headers.delete(k),
    } as unknown as Response;
    const next = jest.fn();
    securityHeaders()({ path: '/hosts' } as Request, response, next);
    expect(next).toHaveBeenCalled();
    expect(headers.get('X-Powered-By')).toBeUndefined();
    expect(headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(headers.get('X-Frame-Options')).toBe('DENY');
    expect(headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(headers.get('Content-Security-Policy')).toBe(API_CSP);
  });
});
