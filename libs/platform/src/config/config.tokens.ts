import type { HostnetEnv } from '@hostnet/config';

/** Injection token of the validated configuration (a subset of HostnetEnv per app). */
export const HOSTNET_CONFIG = Symbol('HOSTNET_CONFIG');

/** The configuration every shared provider may read; apps validate a superset at boot. */
export type PlatformConfig = Pick<
  HostnetEnv,
  | 'REDIS_URL'
  | 'QUEUE_PREFIX'
  | 'REDIS_CLUSTER_NODES'
  | 'REDIS_SENTINELS'
  | 'REDIS_SENTINEL_NAME'
  | 'CLOUDSTACK_URL'
  | 'CLOUDSTACK_API_KEY'
  | 'CLOUDSTACK_SECRET_KEY'
  | 'CLOUDSTACK_TIMEOUT_MS'
  | 'CLOUDSTACK_MAX_CONCURRENT'
  | 'CLOUDSTACK_ASYNC_POLL_INTERVAL_MS'
  | 'CLOUDSTACK_TOPOLOGY_TTL_MS'
  | 'HOSTNET_PROFILES'
  | 'LOG_LEVEL'
  | 'LOG_FORMAT'
  | 'NODE_ENV'
>;

/** Variables the shared providers need, for apps to validate before boot. */
export const PLATFORM_CONFIG_KEYS = [
  'REDIS_URL',
  'QUEUE_PREFIX',
  'REDIS_CLUSTER_NODES',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'CLOUDSTACK_URL',
  'CLOUDSTACK_API_KEY',
  'CLOUDSTACK_SECRET_KEY',
  'CLOUDSTACK_TIMEOUT_MS',
  'CLOUDSTACK_MAX_CONCURRENT',
  'CLOUDSTACK_ASYNC_POLL_INTERVAL_MS',
  'CLOUDSTACK_TOPOLOGY_TTL_MS',
  'HOSTNET_PROFILES',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'NODE_ENV',
] as const satisfies readonly (keyof HostnetEnv)[];
