import { urlWithoutToken } from './token-cookie';

describe('urlWithoutToken', () => {
  it('drops only the token parameter', () => {
    expect(urlWithoutToken('/dashboard?token=abc')).toBe('/dashboard');
    expect(urlWithoutToken('/admin/queues/queue/x?status=failed&token=abc&page=2')).toBe('/admin/queues/queue/x?status=failed&page=2');
  });

  it('never produces a protocol-relative URL that would redirect off-site', () => {
    expect(urlWithoutToken('//evil.example/x?token=a')).toBe('/x');
    expect(urlWithoutToken('/\\evil.example?token=a')).toBe('/');
    expect(urlWithoutToken('///evil.example?token=a')).toMatch(/^\/(?!\/)/);
  });
});
