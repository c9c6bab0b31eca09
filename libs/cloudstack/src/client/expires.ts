/**
 * The `expires` value for signatureVersion=3: UTC in CloudStack's own zoned format
 * `yyyy-MM-dd'T'HH:mm:ssZ` (e.g. `2024-01-01T10:00:00+0000`), accepted by DateUtil.parseTZDateString.
 * The `+` travels as `%2B` because values are encoded Java-style on the wire.
 */
export function formatExpires(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  return (
    `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}` +
    `T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}+0000`
  );
}
