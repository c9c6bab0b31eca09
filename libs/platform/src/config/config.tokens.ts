import type { HostnetEnv } from '@hostnet/config';

/** Injection token of the validated configuration (a subset of HostnetEnv per app). */
export const HOSTNET_CONFIG = Symbol('HOSTNET_CONFIG');

/** Variables every app needs (Redis, logging), for apps to validate before boot. */
export const PLATFORM_CONFIG_KEYS = ['REDIS_URL', 'QUEUE_PREFIX', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME', 'LOG_LEVEL', 'LOG_FORMAT', 'NODE_ENV'] as const satisfies readonly (keyof HostnetEnv)[];

/** The configuration every shared provider may read; apps validate a superset at boot. */
export type PlatformConfig = Pick<HostnetEnv, (typeof PLATFORM_CONFIG_KEYS)[number]>;

/**
 * What a host's spec is derived from: CloudStack (admin keys) and the operator's profiles. Only api
 * derives specs (SpecSourceModule); the worker gets them from Redis and never holds these.
 */
export const SPEC_SOURCE_CONFIG_KEYS = [
  'CLOUDSTACK_URL',
  'CLOUDSTACK_API_KEY',
  'CLOUDSTACK_SECRET_KEY',
  'CLOUDSTACK_TIMEOUT_MS',
  'CLOUDSTACK_MAX_CONCURRENT',
  'CLOUDSTACK_ASYNC_POLL_INTERVAL_MS',
  'CLOUDSTACK_TOPOLOGY_TTL_MS',
  'CLOUDSTACK_RECHECK_SPACING_MS',
  'HOSTNET_PROFILES',
] as const satisfies readonly (keyof HostnetEnv)[];

export type SpecSourceConfig = Pick<HostnetEnv, (typeof SPEC_SOURCE_CONFIG_KEYS)[number]>;
