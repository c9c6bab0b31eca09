import type { HostnetEnv } from '@hostnet/config';
// the file, not the package: the demo's worker environment (apps/simulator) reads this list without Nest
import { PLATFORM_CONFIG_KEYS } from '@hostnet/platform/config/config.tokens';

/**
 * Every variable the worker reads, validated before Nest boots. No CLOUDSTACK_* and no HOSTNET_PROFILES:
 * api derives each host's spec and stores it for the worker (HostRunSpecRepository), so a worker, which
 * holds root SSH keys, holds no CloudStack admin keys beside them.
 */
export const WORKER_CONFIG_KEYS = [
  ...PLATFORM_CONFIG_KEYS,
  'HOSTNET_SSH_ENDPOINTS',
  'HOSTNET_SSH_USER',
  'HOSTNET_SSH_KEY',
  'HOSTNET_KNOWN_HOSTS',
  'HOSTNET_TRUST_ON_FIRST_USE',
  'HOSTNET_SSH_CONNECT_TIMEOUT_MS',
  'HOSTNET_SSH_COMMAND_TIMEOUT_MS',
  'HOSTNET_SSH_KEEP_SECONDS',
  'HOSTNET_SSH_KEEP_MAX',
  'HOSTNET_ROLLBACK_SECONDS',
  'HOSTNET_OVS_DATAPATH',
  'WORKER_CONCURRENCY',
  'WORKER_STALLED_INTERVAL_MS',
  'WORKER_METRICS_PORT',
  'WORKER_METRICS_HOST',
] as const satisfies readonly (keyof HostnetEnv)[];

export type WorkerConfig = Pick<HostnetEnv, (typeof WORKER_CONFIG_KEYS)[number]>;

/** api's CloudStack settings: the worker reads none (api stores each host's spec for it). */
export function isCloudStackVariable(name: string): boolean {
  return name.startsWith('CLOUDSTACK_');
}

/**
 * CLOUDSTACK_* variables set in the worker's real environment anyway (names only; a shared .env's are
 * never read). The worker warns and drops them from its process.env rather than refusing to boot: an old
 * deployment should not stop hosts from being configured, but the operator must hear that the keys sit
 * on the worker for nothing.
 */
export function unusedCloudStackVariables(env: NodeJS.ProcessEnv): string[] {
  return Object.keys(env)
    .filter((name) => isCloudStackVariable(name) && env[name]?.trim())
    .sort();
}
