/**
 * The worker's share of a simulated zone's environment, as a deployment should give it: no CLOUDSTACK_*
 * (api derives and stores every host's spec, so the worker, which holds root SSH keys, holds no CloudStack
 * keys beside them; a worker given them anyway warns and drops them).
 */
export function workerEnvOf(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('CLOUDSTACK_')));
}
