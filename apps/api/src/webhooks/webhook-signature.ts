import { createHmac, timingSafeEqual } from 'node:crypto';

/** CloudStack 4.20+ webhooks: X-CS-Signature = base64(HMAC-SHA256(secret, raw body)), no prefix. */
export function webhookSignature(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest('base64');
}

export function webhookSignatureValid(secret: string, rawBody: Buffer, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(webhookSignature(secret, rawBody), 'utf8');
  const received = Buffer.from(presented.trim(), 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}
