import type { ReportResolveJobData } from '@hostnet/contracts';
import type { InFlightRun } from '../runs/host-run.registry';

/**
 * Why a resolve result may not be recorded, or undefined when it may: it must name the resolve run
 * api holds for the host (id and job), and be the one result that run gets.
 */
export function resolveResultRejection(result: ReportResolveJobData, resultJobId: string, run: InFlightRun | undefined): string | undefined {
  const runId = String(result.request?.requestId ?? '');
  if (!run) return `no run is in flight for this host (resolve run ${runId} is unknown or already handled)`;
  if (run.mode !== 'resolve') return `the host's run in flight (${run.runId}) is a configure run (${run.mode}), not a resolve`;
  if (run.runId !== runId) return `resolve run ${runId} is not the host's run in flight (${run.runId})`;
  if (run.jobId !== result.resolveJobId) return `result differs from resolve run ${run.runId} as enqueued in jobId`;
  if (run.resultJobId && run.resultJobId !== resultJobId) return `run ${run.runId} already has its result (${run.resultJobId})`;
  return undefined;
}
