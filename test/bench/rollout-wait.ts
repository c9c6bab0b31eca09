import type { HostStatusRepository } from '../../apps/api/src/hosts/host-status.repository';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import type { ExecWatcher } from './exec-watcher';
import type { QueueProbe } from './queue-probe';
import type { BenchReads } from './rollout-cost';
import type { WorkerProcess } from './worker-process';
import type { ZoneProcess } from './zone-process';

const TERMINAL = new Set(['enabled', 'failed', 'rolled-back', 'enable-failed']);

/** How a rollout's wait ended. */
export interface RolloutWait {
  /** ms until every host's run was reported by the worker and no host job was left. */
  workerMs: number;
  /** ms until api recorded a final phase for every host (undefined: not within the enable wait). */
  finalMs?: number;
  /** Runs reported beyond one per host (retries, re-runs). */
  extraRuns: number;
  /** Hosts with a final phase recorded in this rollout, when the wait ended. */
  records: HostStatusRecord[];
  /** What the bench read while waiting (subtracted from api's CPU and Redis figures). */
  reads: BenchReads;
}

export interface RolloutWaitContext {
  statuses: HostStatusRepository;
  probe: QueueProbe;
  worker: WorkerProcess;
  watcher: ExecWatcher;
  zone: ZoneProcess;
}

export interface RolloutWaitOptions {
  hosts: number;
  timeoutMs: number;
  enableWaitMs: number;
  log: (line: string) => void;
}

/**
 * Waits for the worker to report every host's run (queue counters), then up to `enableWaitMs` more for
 * api to record every host's final phase.
 */
export async function waitForRollout(
  what: string,
  ctx: RolloutWaitContext,
  opts: RolloutWaitOptions,
  since: number,
  resultsBefore: number,
  /** Which trigger this rollout's records carry (api may still be recording the previous rollout's). */
  trigger: 'poller' | 'operator',
): Promise<RolloutWait> {
  let workerMs: number | undefined;
  let lastLog = Date.now();
  let lastStatusRead = 0;
  let records: HostStatusRecord[] = [];
  let extraRuns = 0;
  const reads: BenchReads = { polls: 0, statusReads: 0 };
  for (;;) {
    const now = Date.now();
    ctx.watcher.sample((await ctx.zone.counters()).map((c) => c.execs), now);
    const snap = await ctx.probe.snapshot();
    reads.polls += 1;
    const reported = snap.resultsTotal - resultsBefore;
    if (workerMs === undefined && reported >= opts.hosts && snap.hostJobsInFlight === 0) {
      workerMs = now - since;
      extraRuns = reported - opts.hosts;
      opts.log(`  ${what}: worker reported every host after ${(workerMs / 1000).toFixed(1)} s; api has ${snap.resultsPending} results to handle`);
    }
    // every host's status is a big read: every 5 s while the worker runs (to catch a host api refused), every 1 s after
    if (now - lastStatusRead > (workerMs === undefined ? 5000 : 1000)) {
      records = (await ctx.statuses.all()).filter((r) => Date.parse(r.at) >= since && r.trigger?.kind === trigger && TERMINAL.has(r.phase));
      reads.statusReads += 1;
      lastStatusRead = now;
      // a host api refused before any run (a zone lint error, say) is never reported by the worker: fail now, not at the timeout
      const refused = records.filter((r) => r.phase === 'failed' && r.jobId === undefined);
      if (refused.length > 0) throw new Error(`${what}: api refused ${refused.length} host(s) before any run; ${refused[0]!.hostName}: ${refused[0]!.reason ?? 'no reason recorded'}`);
      if (records.length === opts.hosts && workerMs !== undefined) return { workerMs, finalMs: now - since, extraRuns, records, reads };
    }
    if (workerMs === undefined && now > since + opts.timeoutMs) {
      throw new Error(`${what}: the worker reported ${reported}/${opts.hosts} runs in ${opts.timeoutMs / 1000} s (${snap.hostJobsInFlight} host jobs in flight); worker said:\n${ctx.worker.tail()}`);
    }
    if (workerMs !== undefined && now > since + workerMs + opts.enableWaitMs) return { workerMs, extraRuns, records, reads };
    if (now - lastLog > 15_000) {
      opts.log(`  ${what}: ${Math.min(reported, opts.hosts)}/${opts.hosts} runs reported, ${records.length} hosts final, after ${((now - since) / 1000).toFixed(0)} s`);
      lastLog = now;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
