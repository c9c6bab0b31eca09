/**
 * What the worker reads (apps/worker/src/worker-config.ts's WORKER_CONFIG_KEYS, and HOSTNET_ENV_FILE and
 * NO_COLOR, read before its config), named here so the CLI's demo does not load the worker's Nest wiring to
 * start it; apps/worker/src/worker-env.spec.ts holds the two lists together.
 */
export const WORKER_ENV_NAMES: ReadonlySet<string> = new Set([
  'REDIS_URL',
  'QUEUE_PREFIX',
  'REDIS_CLUSTER_NODES',
  'REDIS_SENTINELS',
  'REDIS_SENTINEL_NAME',
  'LOG_LEVEL',
  'LOG_FORMAT',
  'NODE_ENV',
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
  'HOSTNET_ENV_FILE',
  'NO_COLOR',
]);

/**
 * The worker's share of a simulated zone's environment, as a deployment should give it: only what it reads.
 * Not CLOUDSTACK_* (api derives and stores every host's spec), nor api's API_TOKEN and WEBHOOK_SECRET, nor
 * HOSTNET_PROFILES: the worker holds root SSH keys, and nothing it does not use sits beside them.
 */
export function workerEnvOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => WORKER_ENV_NAMES.has(name)));
}
