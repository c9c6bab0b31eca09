import type { HostnetEnv } from '@hostnet/config';
import { PLATFORM_CONFIG_KEYS, SPEC_SOURCE_CONFIG_KEYS } from '@hostnet/platform';

/** Every variable api reads, validated before Nest boots. */
export const API_CONFIG_KEYS = [
  ...PLATFORM_CONFIG_KEYS,
  ...SPEC_SOURCE_CONFIG_KEYS,
  'API_HOST',
  'API_PORT',
  'API_TOKEN',
  'WEBHOOK_SECRET',
  'WEBHOOK_MAX_AGE_SECONDS',
  'RESULTS_CONCURRENCY',
  'CLOUDSTACK_RECONNECT_WAIT_MS',
  'POLL_INTERVAL_MS',
  'POLL_ZONES',
  'DRIFT_INTERVAL_MS',
  'DRIFT_MAX_IN_FLIGHT',
  'DRIFT_MAX_PER_PASS',
] as const satisfies readonly (keyof HostnetEnv)[];

export type ApiConfig = Pick<HostnetEnv, (typeof API_CONFIG_KEYS)[number]>;
