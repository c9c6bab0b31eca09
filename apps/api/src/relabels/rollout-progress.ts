import type { RelabelRollout } from './relabel-rollout.types';

/** How far a rollout got: the counts GET /relabels/:id, the CLI's status and the dashboard show. */
export interface RolloutProgress {
  hosts: number;
  expanded: number;
  contracted: number;
  failed: number;
  /** Names of the hosts with a step in flight. */
  inFlight: string[];
}

/** Expanded: on both bridges or already on the new one; contracted: on the new one only. */
export function rolloutProgress(rollout: RelabelRollout): RolloutProgress {
  const hosts = Object.values(rollout.hosts);
  return {
    hosts: hosts.length,
    expanded: hosts.filter((h) => h.layout !== 'old').length,
    contracted: hosts.filter((h) => h.layout === 'new').length,
    failed: rollout.failedHosts.length,
    inFlight: hosts.filter((h) => h.current).map((h) => h.hostName),
  };
}
