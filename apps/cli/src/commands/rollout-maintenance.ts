import type { ApiClient } from '../api-client';
import type { HostView } from './host-status-report';

/** What a rollout's record says of one host it kept in Maintenance (GET /relabels/:id, hosts[id]). */
export interface RolloutMaintenance {
  rolloutId: string;
  /** The rollout's state: a finished one (done, aborted) no longer ends the maintenance by itself. */
  state: string;
  /** The last layout a run verified on the host, and the one attempted and not verified since. */
  layout: string;
  unverified?: string;
}

interface RolloutHostRead {
  state?: string;
  hosts?: Record<string, { leftInMaintenance?: boolean; layout?: string; unverified?: string }>;
}

/**
 * The Maintenance a rollout left the host in, read from the rollout of the host's newest relabel record; undefined
 * when none did, or when the rollout cannot be read (the host view still shows what the host's own records say).
 */
export async function rolloutMaintenanceOf(api: ApiClient, view: HostView): Promise<RolloutMaintenance | undefined> {
  const rolloutId = [view.latest, ...view.history].find((r) => r.relabel?.rolloutId)?.relabel?.rolloutId;
  if (!rolloutId) return undefined;
  const rollout = await api.call<RolloutHostRead | undefined>('GET', `/relabels/${encodeURIComponent(rolloutId)}`, undefined, 200, true).catch(() => undefined);
  const host = rollout?.hosts?.[view.latest.hostId];
  if (!host?.leftInMaintenance) return undefined;
  return { rolloutId, state: rollout?.state ?? 'unknown', layout: host.layout ?? 'unknown', ...(host.unverified ? { unverified: host.unverified } : {}) };
}

/** The host view's lines for it: where the host stands in CloudStack, who left it there, and the way out in order. */
export function maintenanceLines(hold: RolloutMaintenance, host: string): string[] {
  const attempted = hold.unverified ? `layout ${hold.unverified} attempted and not verified, layout ${hold.layout} the last verified` : `layout ${hold.layout}`;
  const finished = hold.state === 'done' || hold.state === 'aborted';
  return [
    `maintenance: CloudStack has the host in Maintenance, left there by rollout ${hold.rolloutId} (${hold.state}) at ${attempted}; it stays there until a run of it verifies`,
    finished
      ? `  recovery: 1. configure it (hostnet configure --host ${host}) until the run verifies; 2. then end the maintenance in CloudStack (cancelHostMaintenance)`
      : `  recovery: the rollout ends the maintenance once a step of it verifies on the host (hostnet relabel status --id ${hold.rolloutId}); if it is stopped, 1. configure it (hostnet configure --host ${host}) until the run verifies, 2. then cancelHostMaintenance`,
  ];
}
