import type { ReportResultJobData } from '@hostnet/contracts';
import type { InFlightRun } from './host-run.registry';

/**
 * Why a result may not act on its host, or undefined when it may: it must name the run api
 * recorded at enqueue (id, job, mode and spec alike), and be the one result that run gets.
 */
export function resultRejection(result: ReportResultJobData, resultJobId: string, run: InFlightRun | undefined): string | undefined {
  const { request } = result;
  const runId = String(request?.requestId ?? '');
  if (!run) return `no run is in flight for this host (run ${runId} is unknown or already handled)`;
  // A configure result never stands for a resolve: only a verified configure run may enable a host.
  if (run.mode === 'resolve') return `the host's run in flight (${run.runId}) is an operator's resolve; it takes no configure result`;
  if (run.runId !== runId) return `run ${runId} is not the host's run in flight (${run.runId})`;
  const mismatch: string[] = (['jobId', 'mode', 'specHash'] as const).filter((field) => {
    const claimed = field === 'jobId' ? result.configureJobId : request[field];
    return claimed !== run[field];
  });
  if (relabelBinding(request.relabel) !== relabelBinding(run.relabel)) mismatch.push('relabel');
  if (allocationBinding(request.allocation) !== allocationBinding(run.allocation)) mismatch.push('allocation');
  if (mismatch.length > 0) return `result differs from run ${run.runId} as enqueued in ${mismatch.join(', ')}`;
  if (run.resultJobId && run.resultJobId !== resultJobId) return `run ${run.runId} already has its result (${run.resultJobId})`;
  return undefined;
}

/** A relabel step as a result binds it (rollout, layout, restart), or `none` for a plain run. */
function relabelBinding(relabel: { rolloutId: string; layout: string; restartAgent: boolean } | undefined): string {
  return relabel ? `${relabel.rolloutId}/${relabel.layout}/${relabel.restartAgent}` : 'none';
}

/** The allocation a run was triggered with, or `none`. */
function allocationBinding(allocation: { atTrigger: unknown; enable: unknown; asked?: unknown } | undefined): string {
  return allocation ? JSON.stringify([allocation.atTrigger, allocation.enable, allocation.asked === true]) : 'none';
}
