import type { ConnectionOptions } from 'bullmq';
import type { RelabelHostDiffService } from '../relabels/relabel-host-diff.service';
import type { RelabelRolloutStore } from '../relabels/relabel-rollout.store';

/** Where BullMQ lives: the dashboard opens its own QueueEvents connection from this. */
export interface BullMqConnection {
  /** The app's Redis client (REDIS_CONNECTION; QueueEvents duplicate it), or ioredis options. */
  connection: ConnectionOptions;
  /** BullMQ key prefix (QUEUE_PREFIX); must match the producers' and the worker's. */
  prefix: string;
}

/** Provider token for a BullMqConnection. */
export const BULLMQ_CONNECTION = Symbol('BULLMQ_CONNECTION');

/** Dashboard tuning, set through DashboardModule.register(). */
export interface DashboardOptions {
  /** How often each open dashboard re-reads host statuses (results recorded by any api replica). */
  refreshMs: number;
}

export const DASHBOARD_OPTIONS = Symbol('DASHBOARD_OPTIONS');

/** Provider token for the DashboardCsrf issuer and checker. */
export const DASHBOARD_CSRF = Symbol('DASHBOARD_CSRF');

/** The dashboard's read-only view of the relabel rollouts' store: it lists and reads, it never writes. */
export type RelabelRolloutReader = Pick<RelabelRolloutStore, 'list' | 'plan'>;

/** Provider token for a RelabelRolloutReader. */
export const RELABEL_ROLLOUT_READER = Symbol('RELABEL_ROLLOUT_READER');

/** One host's relabel diff, as GET /relabels/:id/hosts/:host/diff renders it (RelabelHostDiffService). */
export type RelabelHostDiffReader = Pick<RelabelHostDiffService, 'diff'>;

/** Provider token for a RelabelHostDiffReader (one that refuses when the api has no topology to render from). */
export const RELABEL_HOST_DIFFS = Symbol('RELABEL_HOST_DIFFS');
