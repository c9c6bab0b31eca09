import { WORKER_CONFIG_KEYS } from '../../../worker/src/worker-config';

/** What the worker reads: its validated config, and HOSTNET_ENV_FILE and NO_COLOR, read before it. */
export const WORKER_ENV_NAMES: ReadonlySet<string> = new Set([...WORKER_CONFIG_KEYS, 'HOSTNET_ENV_FILE', 'NO_COLOR']);

/**
 * The worker's share of a simulated zone's environment, as a deployment should give it: only what it reads.
 * Not CLOUDSTACK_* (api derives and stores every host's spec), nor api's API_TOKEN and WEBHOOK_SECRET, nor
 * HOSTNET_PROFILES: the worker holds root SSH keys, and nothing it does not use sits beside them.
 */
export function workerEnvOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => WORKER_ENV_NAMES.has(name)));
}
