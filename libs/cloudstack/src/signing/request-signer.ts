import { createHmac, timingSafeEqual } from 'node:crypto';

/** A request's parameters as sent on the wire (names keep their case). */
export type ApiParams = Record<string, string>;

/**
 * Encodes a value the way java.net.URLEncoder does, then turns `+` into `%20`, which is what
 * CloudStack's ApiServer.verifyRequest signs: `A-Za-z0-9.-*_` stay, `~!'()` are encoded.
 */
export function encodeJavaStyle(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()~]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * The string CloudStack signs: names sorted case-sensitively (Java code-unit order) before the
 * whole string is lowercased; every parameter but `signature` takes part.
 */
export function canonicalString(params: ApiParams): string {
  return Object.keys(params)
    .filter((name) => name.toLowerCase() !== 'signature')
    .sort(compareCodeUnits)
    .map((name) => `${name}=${encodeJavaStyle(params[name] ?? '')}`)
    .join('&')
    .toLowerCase();
}

/** HMAC-SHA1 over the canonical string, standard base64 with padding. */
export function signParams(params: ApiParams, secretKey: string): string {
  return createHmac('sha1', Buffer.from(secretKey, 'utf8'))
    .update(canonicalString(params), 'utf8')
    .digest('base64');
}

/** Constant-time check of a received signature, as the server does it. */
export function verifySignature(params: ApiParams, secretKey: string, signature: string): boolean {
  const expected = Buffer.from(signParams(params, secretKey), 'utf8');
  const received = Buffer.from(signature, 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
