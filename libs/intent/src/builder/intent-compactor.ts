import type { HostNetworkIntent } from '../domain/host-network-intent';

/** Deep copy without keys whose value is undefined, so equal intents serialize and compare identically. */
export function compactIntent(intent: HostNetworkIntent): HostNetworkIntent {
  return strip(intent) as HostNetworkIntent;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = strip(item);
  return out;
}
