/**
 * BullMQ job ids: never contain `:` and never all digits. One id per host makes a second trigger
 * for the same host a no-op while the first job is waiting, active or retrying.
 */
export function configureHostJobId(hostId: string): string {
  return `host-${safeIdPart(hostId)}`;
}

/** Its own id, so a configure job left behind by a lost run never blocks an operator's resolve. */
export function resolveHostJobId(hostId: string): string {
  return `resolve-${safeIdPart(hostId)}`;
}

/** One result per configure request and attempt, so a re-delivered report dedupes. */
export function reportResultJobId(configureJobId: string, discriminator: string): string {
  return `result-${safeIdPart(configureJobId)}-${safeIdPart(discriminator)}`;
}

function safeIdPart(value: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(value.replace(/[:]/g, '-'))) {
    throw new Error(`job id part ${JSON.stringify(value)} may only hold letters, digits, '.', '_' and '-'`);
  }
  return value.replace(/:/g, '-');
}
