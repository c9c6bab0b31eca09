import type { HostnetEnv } from '@hostnet/config';
import { PLATFORM_CONFIG_KEYS } from '@hostnet/platform';

/** Every variable the worker reads, validated before Nest boots. */
export const WORKER_CONFIG_KEYS = [
  ...PLATFORM_CONFIG_KEYS,
  'HOSTNET_SSH_ENDPOINTS',
  'HOSTNET_SSH_USER',
  'HOSTNET_SSH_KEY',
  'HOSTNET_KNOWN_HOSTS',
  'HOSTNET_TRUST_ON_FIRST_USE',
  'HOSTNET_SSH_CONNECT_TIMEOUT_MS',
  'HOSTNET_SSH_COMMAND_TIMEOUT_MS',
  'HOSTNET_ROLLBACK_SECONDS',
  'HOSTNET_OVS_DATAPATH',
  'WORKER_CONCURRENCY',
  'WORKER_STALLED_INTERVAL_MS',
  'WORKER_METRICS_PORT',
  'WORKER_METRICS_HOST',
] as const satisfies readonly (keyof HostnetEnv)[];

export type WorkerConfig = Pick<HostnetEnv, (typeof WORKER_CONFIG_KEYS)[number]>;
