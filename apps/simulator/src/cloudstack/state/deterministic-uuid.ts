import { createHash } from 'node:crypto';

/**
 * A stable RFC-4122 version-5-shaped UUID derived from `key`, so seeded records keep the same ids
 * across runs without the seed having to spell them out.
 */
export function deterministicUuid(key: string): string {
  const bytes = createHash('sha1').update(`hostnet-simulator:${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
