import { createHmac } from 'node:crypto';
import { webhookSignature, webhookSignatureValid } from './webhook-signature';

describe('webhook signature', () => {
  const body = Buffer.from('{"event":"MAINT.PREPARE","entityuuid":"h1"}');

  it('is base64 HMAC-SHA256 of the raw body, with no sha256= prefix', () => {
    const expected = createHmac('sha256', 'shh').update(body).digest('base64');
    expect(webhookSignature('shh', body)).toBe(expected);
    expect(webhookSignature('shh', body)).not.toMatch(/^sha256=/);
  });

  it('accepts the right signature and refuses a changed body, a wrong secret or none', () => {
    const sig = webhookSignature('shh', body);
    expect(webhookSignatureValid('shh', body, sig)).toBe(true);
    expect(webhookSignatureValid('shh', Buffer.concat([body, Buffer.from(' ')]), sig)).toBe(false);
    expect(webhookSignatureValid('other', body, sig)).toBe(false);
    expect(webhookSignatureValid('shh', body, undefined)).toBe(false);
  });
});
