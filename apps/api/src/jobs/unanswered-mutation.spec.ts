import { CloudStackApiError, CloudStackAsyncTimeoutError, CloudStackNetworkError } from '@hostnet/cloudstack';
import { isUnanswered, neverSent } from './unanswered-mutation';

const net = (code: string | undefined, timedOut = false) =>
  new CloudStackNetworkError({ command: 'updateHost', params: {}, timedOut, code, message: 'CloudStack updateHost failed' });

describe('isUnanswered: may CloudStack still carry out a mutation that failed?', () => {
  it.each([
    ['a timeout', net('ETIMEDOUT', true), true],
    ['a reset after sending', net('ECONNRESET'), true],
    ['an unknown network error', net(undefined), true],
    ['an async job still pending at our deadline', new CloudStackAsyncTimeoutError('job-1', 'reconnectHost', {}, 60_000), true],
    ['a refused connection (never sent)', net('ECONNREFUSED'), false],
    ['an unresolvable name (never sent)', net('ENOTFOUND'), false],
    ['an answer from CloudStack', new CloudStackApiError({ command: 'updateHost', params: {}, httpStatus: 530, errorText: 'x' }), false],
    ['anything else', new Error('boom'), false],
  ])('%s → %s', (_what, error, expected) => {
    expect(isUnanswered(error)).toBe(expected);
  });
});

describe('neverSent: did the mutation provably not reach CloudStack?', () => {
  const api = (httpStatus: number) => new CloudStackApiError({ command: 'reconnectHost', params: {}, httpStatus, errorText: 'x' });
  it.each([
    ['a refused connection', net('ECONNREFUSED'), true],
    ['an unresolvable name', net('ENOTFOUND'), true],
    ['a 503 (turned away unprocessed)', api(503), true],
    ['a 429', api(429), true],
    ['a timeout', net('ETIMEDOUT', true), false],
    ['a reset after sending', net('ECONNRESET'), false],
    ['an answered failure (530)', api(530), false],
    ['anything else', new Error('boom'), false],
  ])('%s → %s', (_what, error, expected) => {
    expect(neverSent(error)).toBe(expected);
  });
});
