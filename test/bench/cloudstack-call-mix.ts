import { MUTATING_COMMANDS } from '../../apps/simulator/src/cloudstack/recording/call-recorder';

/** A rollout's CloudStack calls by kind, against what issue 12 allows: mutations + list pages + one async poll per interval. */
export interface CloudStackCallMix {
  total: number;
  mutations: number;
  /** list* calls other than listAsyncJobs (zone reads, host reads). */
  listPages: number;
  /** Reads of async jobs: listAsyncJobs pages and queryAsyncJobResult. */
  asyncPolls: { listAsyncJobs: number; queryAsyncJobResult: number };
  /** From the rollout's first CloudStack call to its last. */
  windowMs: number;
  asyncPollIntervalMs: number;
  /** ceil(windowMs / asyncPollIntervalMs). */
  pollTicks: number;
}

export function cloudStackCallMix(calls: { command: string; atMs: number }[], asyncPollIntervalMs: number): CloudStackCallMix {
  const count = (match: (command: string) => boolean) => calls.filter((c) => match(c.command)).length;
  const times = calls.map((c) => c.atMs);
  const windowMs = calls.length > 0 ? Math.max(...times) - Math.min(...times) : 0;
  return {
    total: calls.length,
    mutations: count((c) => MUTATING_COMMANDS.has(c)),
    listPages: count((c) => c.startsWith('list') && c !== 'listAsyncJobs'),
    asyncPolls: { listAsyncJobs: count((c) => c === 'listAsyncJobs'), queryAsyncJobResult: count((c) => c === 'queryAsyncJobResult') },
    windowMs,
    asyncPollIntervalMs,
    pollTicks: Math.max(1, Math.ceil(windowMs / asyncPollIntervalMs)),
  };
}
