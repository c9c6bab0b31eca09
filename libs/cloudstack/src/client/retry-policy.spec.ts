import {
  CloudStackApiError,
  CloudStackNetworkError,
  CloudStackValidationError,
} from '../errors/cloudstack-error';
import { backoffDelayMs, shouldRetry } from './retry-policy';

const api = (httpStatus: number) => new CloudStackApiError({ command: 'listHosts', params: {}, httpStatus, errorText: 'x' });
const net = (code: string, timedOut = false) =>
  new CloudStackNetworkError({ command: 'addHost', params: {}, timedOut, code, message: 'x' });

describe('shouldRetry', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [530, true],
    [429, true],
    [531, false],
    [533, false],
    [537, false],
    [400, false],
    [401, false],
    [404, false],
    [431, false],
    [432, false],
  ])('idempotent request, HTTP %i → retry %s', (status, expected) => {
    expect(shouldRetry(api(status), true)).toBe(expected);
  });

  it('retries network errors and timeouts of idempotent requests', () => {
    expect(shouldRetry(net('ECONNRESET'), true)).toBe(true);
    expect(shouldRetry(net('ETIMEDOUT', true), true)).toBe(true);
  });

  it('repeats a mutation only when it provably never ran', () => {
    expect(shouldRetry(net('ECONNREFUSED'), false)).toBe(true);
    expect(shouldRetry(api(429), false)).toBe(true);
    expect(shouldRetry(api(503), false)).toBe(true);
    expect(shouldRetry(net('ETIMEDOUT', true), false)).toBe(false);
    expect(shouldRetry(net('ECONNRESET'), false)).toBe(false);
    expect(shouldRetry(api(500), false)).toBe(false);
  });

  it('never resends a mutation left unanswered, even a set-to-value one; an answered 5xx may be resent', () => {
    expect(shouldRetry(net('ETIMEDOUT', true), true, true)).toBe(false);
    expect(shouldRetry(net('ECONNRESET'), true, true)).toBe(false);
    expect(shouldRetry(net('ECONNREFUSED'), true, true)).toBe(true);
    expect(shouldRetry(api(530), true, true)).toBe(true);
    expect(shouldRetry(net('ETIMEDOUT', true), true, false)).toBe(true);
  });

  it('never retries validation errors or foreign errors', () => {
    expect(shouldRetry(new CloudStackValidationError('id', 'bad'), true)).toBe(false);
    expect(shouldRetry(new Error('boom'), true)).toBe(false);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows the ceiling exponentially and caps it', () => {
    expect([1, 2, 3, 4, 5, 10].map((r) => backoffDelayMs(r, settings, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
  });
  it('draws uniformly below the ceiling', () => {
    expect(backoffDelayMs(3, settings, () => 0)).toBe(0);
    expect(backoffDelayMs(3, settings, () => 0.5)).toBe(200);
  });
});
