import { createHash } from 'node:crypto';

/**
 * A name-based UUID (version 5 layout, SHA-1 of host id + connection name), so a re-render gives
 * NetworkManager the same connection uuid every time and the diff stays empty.
 */
export function stableUuid(hostId: string, name: string): string {
  const bytes = createHash('sha1').update(`hostnet\0${hostId}\0${name}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
