/** Redis keys a rollout shares with the holds and the per-zone lock, so its ending write can release both at once. */
export function relabelHeldKey(prefix: string): string {
  return `${prefix}:relabel:held`;
}

/** The one active rollout of a zone (its id), taken at start and released by the transition that ends it. */
export function relabelZoneKey(prefix: string, zoneId: string): string {
  return `${prefix}:relabel:zone:${zoneId}`;
}
