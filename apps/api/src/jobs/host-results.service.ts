import { Injectable, Logger } from '@nestjs/common';
import { ENABLE_WITHHELD, NOT_ENABLED } from './not-enabled';
import { enableWithheld, staleAgentMap, unreadableAllocation } from './enable-guard';
import type { KvmHost } from '@hostnet/cloudstack';
import { standingReasonOf, type ApplyOutcomeSummary, type ReportResultJobData } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostPhase, HostStatusRecord } from '../hosts/host-status.types';
import { AddHostCompletionService } from '../add-host/add-host-completion.service';
import { HostAddError } from '../add-host/host-add.error';
import { RunMetrics } from '../metrics/run-metrics';
import { HostLock, HostLockLostError, type HostLease } from '../runs/host-lock';
import { HostRunRegistry, runAllocationOf, type InFlightRun } from '../runs/host-run.registry';
import { EnabledSightings } from '../runs/enabled-sightings';
import { resultRejection } from '../runs/result-binding';
import { assertDriftReadOnly, driftRecord, isDriftCheck } from '../drift/drift-result';
import { HostEnableError, HostEnableService } from './host-enable.service';
import { ResultSpecCheck, type ResultSpecVerdict } from './result-spec.check';

/** Whether a failed result job should be retried by BullMQ (CloudStack 5xx, network). */
export class RetryableResultError extends Error {
  override readonly name = 'RetryableResultError';
  readonly permanent = false;
}

/** What handling one result job came to. */
export type ResultHandling = HostPhase | 'rejected';

/** The phase a result was handled as, and the verdict of a run whose spec went stale (to re-run). */
interface Handled {
  phase: HostPhase;
  stale?: Extract<ResultSpecVerdict, { current: false }>;
}

/** The phase a worker's run status is recorded as; a verified apply is `verified` until enabled. */
/** Records read back for a dry-run's queued record: one run per host at a time, so it is among the newest. */
const TRIGGER_RECORD_DEPTH = 10;

const PHASE_OF: Record<ApplyOutcomeSummary['status'], HostPhase> = {
  applied: 'verified',
  'no-op': 'no-op',
  'rolled-back': 'rolled-back',
  failed: 'failed',
  'dry-run': 'dry-run',
};

/**
 * Records every host run's result and, only after a verified apply (or a verified no-op) of an
 * apply request whose spec is still the host's spec in CloudStack, enables the host. Results of one host are handled one at a time,
 * and only for the run api has in flight for it, once: anything else is kept as rejected evidence
 * and changes nothing. A run that did not verify leaves the host Disabled with the reason recorded.
 * A relabel host step is recorded the same way and never enabled here: its rollout does that.
 * A drift check's result only marks the host drifted or not (apps/api/src/drift), keeping its phase.
 */
@Injectable()
export class HostResultsService {
  private readonly logger = new Logger(HostResultsService.name);

  constructor(
    private readonly statuses: HostStatusRepository,
    private readonly enabler: HostEnableService,
    private readonly adder: AddHostCompletionService,
    private readonly lock: HostLock,
    private readonly runs: HostRunRegistry,
    private readonly metrics: RunMetrics,
    private readonly specCheck: ResultSpecCheck,
    private readonly sightings: EnabledSightings,
  ) {}

  async handle(result: ReportResultJobData, resultJobId: string, finalAttempt: boolean): Promise<ResultHandling> {
    const hostId = String(result.request?.hostId ?? '');
    return this.lock.withLock(hostId, async (lease) => {
      // Taken with the lock held: the wait for it can be long, and the re-check must read CloudStack after it.
      const sinceMs = Date.now();
      const current = await this.runs.current(hostId);
      const rejection = resultRejection(result, resultJobId, current);
      if (rejection || !current) return this.reject(result, resultJobId, rejection ?? '');
      // Bound in one script, and read back: an operator's enable that joined the run until now is in it, none after.
      const run = (await this.runs.bindResult(hostId, current.runId, resultJobId)) ?? current;
      const { phase, stale } = await this.act(result, run, finalAttempt, sinceMs, lease);
      await this.runs.release(hostId, run.runId);
      // Once the run is released, so the re-run can claim the host.
      if (stale) await this.specCheck.rerun(result.request, run.runId, stale, runAllocationOf(run).allocation);
      return phase;
    });
  }

  private async reject(result: ReportResultJobData, resultJobId: string, reason: string): Promise<'rejected'> {
    const hostId = String(result.request?.hostId ?? '');
    const runId = String(result.request?.requestId ?? '');
    this.logger.warn(`rejected result ${resultJobId} hostId=${hostId} runId=${runId}: ${reason}`);
    await this.statuses.recordRejected({ hostId, runId, resultJobId, status: String(result.outcome?.status ?? ''), reason, at: now() });
    return 'rejected';
  }

  /**
   * Where the host sits, as api derived it when it triggered this run (results carry ids only): from the run's
   * queued record, the host's latest unless the run is a dry-run, whose bookkeeping goes to the history alone
   * (a host hostnet never ran, or whose records Redis lost, has no other), else from the latest record.
   */
  private async placementAtTrigger(hostId: string, runId: string, latest: HostStatusRecord | undefined): Promise<Partial<HostStatusRecord>> {
    if (latest?.runId === runId) return placementOf(latest);
    const queued = (await this.statuses.history(hostId, TRIGGER_RECORD_DEPTH)).find((r) => r.runId === runId && r.phase === 'queued');
    return placementOf(queued ?? latest);
  }

  private async act(result: ReportResultJobData, run: InFlightRun, finalAttempt: boolean, sinceMs: number, lease: HostLease): Promise<Handled> {
    const { request } = result;
    const outcome = truthfulOutcome(result.outcome);
    const previous = await this.statuses.latest(request.hostId);
    const phase = PHASE_OF[outcome.status] ?? 'failed';
    const verified = outcome.status === 'applied' || outcome.status === 'no-op';
    const standing = standingReasonOf(outcome);
    const base: Omit<HostStatusRecord, 'phase' | 'at'> = {
      ...(await this.placementAtTrigger(request.hostId, run.runId, previous)),
      hostId: request.hostId,
      hostName: request.hostName,
      zoneId: request.zoneId,
      specHash: request.specHash,
      jobId: result.configureJobId,
      runId: run.runId,
      trigger: request.trigger,
      outcome,
      ...(standing ? { reason: standing } : {}),
      ...(request.relabel ? { relabel: { rolloutId: request.relabel.rolloutId, layout: request.relabel.layout, restartAgent: request.relabel.restartAgent } } : {}),
      // a verified apply or no-op found or made the host as its intent: not drifted, whatever a drift check said
      ...(request.mode === 'apply' && verified ? { drifted: false } : {}),
    };
    // A result retried for its enable comes back here: its run is measured on the first pass only.
    const firstPass = previous?.phase !== phase || previous.runId !== run.runId;
    if (firstPass) this.metrics.observe(outcome);
    if (isDriftCheck(request) || request.mode === 'dry-run') {
      // A dry-run never leads to an apply or an enable, whatever its result says, and leaves the host
      // where it stood: a plan must not make an enabled host look otherwise, nor a failed spec retryable.
      assertDriftReadOnly(request);
      const record = driftRecord(base, outcome, previous, now(), isDriftCheck(request) ? 'drift check' : 'dry-run');
      await this.statuses.record(record);
      if (record.drifted) this.logger.warn(`drift hostId=${request.hostId} runId=${run.runId}: ${record.reason ?? ''}`);
      return { phase: record.phase };
    }
    if (request.mode !== 'apply' || !verified) {
      await this.statuses.record({ ...base, phase, at: now() });
      return { phase };
    }
    // A retried result already recorded its phase; the retry's own record comes with the enable.
    if (firstPass) await this.statuses.record({ ...base, phase, at: now() });
    // A relabel host step ends here: its rollout owns the host's CloudStack state (maintenance, freeze,
    // cancel, enable) and reads this result; enabling it here would take it out of maintenance early.
    if (request.relabel) return { phase };
    const recheck = await this.recheckSpec(base, phase, run.runId, finalAttempt, sinceMs, request);
    if ('handled' in recheck) return recheck.handled;
    try {
      const pendingHost = request.pendingHost;
      if (pendingHost) {
        const added = await this.adder.complete({ ...request, pendingHost }, () => lease.assertHeld());
        const reason = `added to CloudStack as ${added.hostId}`;
        await this.statuses.record({ ...base, phase: 'enabled', reason, cloudstackCalls: added.calls, at: now() });
        await this.statuses.record({ ...base, hostId: added.hostId, phase: 'enabled', cloudstackCalls: added.calls, at: now() });
        return { phase: 'enabled' };
      }
      // An operator's enable that joined the run stands for it, from the moment they asked.
      const { allocation, at } = runAllocationOf(run);
      const withheld = enableWithheld(allocation, recheck.host, { at, seenEnabledAt: await this.sightings.lastAt(request.hostId) });
      const stale = staleAgentMap(outcome, recheck.host);
      const reconnect = {
        sentAt: run.reconnectSentAt,
        record: async (at: string | undefined) => {
          if (!(await this.runs.markReconnect(request.hostId, run.runId, at))) throw new HostLockLostError(`run ${run.runId} of host ${request.hostId} is no longer in flight; reconnectHost not sent`);
        },
      };
      const { calls, enabled, resourceState } = await this.enabler.enable(request.hostId, recheck.host, () => lease.assertHeld(), !withheld && !stale, reconnect);
      if (stale) {
        this.logger.log(`not enabled hostId=${request.hostId} runId=${run.runId}: ${stale}`);
        await this.statuses.record({ ...base, phase, reason: `${NOT_ENABLED}${stale}`, cloudstackCalls: calls, at: now() });
        return { phase };
      }
      if (withheld) {
        this.logger.log(`not enabled hostId=${request.hostId} runId=${run.runId}: ${withheld}`);
        const prefix = unreadableAllocation(allocation, recheck.host) ? NOT_ENABLED : ENABLE_WITHHELD;
        await this.statuses.record({ ...base, phase, reason: `${prefix}${withheld}`, cloudstackCalls: calls, at: now() });
        return { phase };
      }
      if (!enabled) {
        // An operator's maintenance (the way to reconfigure a host that carries VMs) is theirs to end: the
        // run stands verified, and the host is not said to be enabled while CloudStack shows otherwise.
        const fix = /Maintenance/.test(resourceState)
          ? 'end the maintenance in CloudStack (cancelHostMaintenance) when the host is ready'
          : 'see to the host in CloudStack; once it is Disabled, configure it again to have it enabled';
        const reason = `${NOT_ENABLED}CloudStack shows the host in ${resourceState}, and hostnet enables only a Disabled host; the network is configured and verified; fix: ${fix}`;
        await this.statuses.record({ ...base, phase, reason, cloudstackCalls: calls, at: now() });
        return { phase };
      }
      // Its own trigger did not ask for the enable: the history says whose ask it was.
      const asked = run.enableAsked ? { reason: `enabled as asked by ${run.enableAsked.by ?? 'an operator'}'s enable, which joined this run at ${run.enableAsked.at}` } : {};
      await this.statuses.record({ ...base, phase: 'enabled', ...asked, cloudstackCalls: calls, at: now() });
      return { phase: 'enabled' };
    } catch (error) {
      // Whoever holds the host now handles this result; this handler records nothing more.
      if (error instanceof HostLockLostError) throw error;
      const e = error instanceof HostEnableError ? error : new HostEnableError(error, [], false);
      // a host CloudStack did not add was never up for an enable: its reason says so, and the way back
      const notAdded = e instanceof HostAddError;
      if (!e.permanent && !finalAttempt) {
        this.logger.warn(`${notAdded ? 'addHost' : 'enable'} failed, will retry hostId=${request.hostId}: ${e.message}`);
        // Same phase (enabling is still in progress, the poller keeps off), but the failed calls stay
        // in the history: the retry's own record only holds the calls of the attempt that succeeded.
        await this.statuses.record({ ...base, phase, reason: `${notAdded ? 'adding to CloudStack' : 'enabling'} failed, will retry: ${e.message}`, cloudstackCalls: e.calls, at: now() });
        throw new RetryableResultError(e.message);
      }
      await this.statuses.record({
        ...base,
        phase: 'enable-failed',
        reason: notAdded
          ? `not added to CloudStack: ${e.message}; fix: ${e.fix}`
          : e.calls.some((c) => !c.ok)
            ? `CloudStack refused to enable the host: ${e.message}`
            : `the host could not be enabled: ${e.message}`,
        cloudstackCalls: e.calls,
        at: now(),
      });
      return { phase: 'enable-failed' };
    }
  }

  /**
   * The spec as CloudStack has it now, before enabling: a run whose spec changed meanwhile is recorded
   * with the reason and not enabled, and (unless it already was a re-run) handed back for one re-run.
   * A current spec comes with the host as the same read found it, so enabling needs no read of its own.
   */
  private async recheckSpec(
    base: Omit<HostStatusRecord, 'phase' | 'at'>,
    phase: HostPhase,
    runId: string,
    finalAttempt: boolean,
    sinceMs: number,
    request: ReportResultJobData['request'],
  ): Promise<{ handled: Handled } | { host: KvmHost }> {
    let verdict: ResultSpecVerdict;
    try {
      verdict = await this.specCheck.check(request, sinceMs);
    } catch (error) {
      const reason = `could not read the host's spec from CloudStack again before enabling: ${(error as Error).message}`;
      if (!finalAttempt) {
        await this.statuses.record({ ...base, phase, reason: `${reason}; will retry`, at: now() });
        throw new RetryableResultError(reason);
      }
      await this.statuses.record({ ...base, phase: 'enable-failed', reason, at: now() });
      return { handled: { phase: 'enable-failed' } };
    }
    if (verdict.current) return { host: verdict.host };
    const rerun = verdict.rerun && !request.rerunOf;
    const next = rerun ? 're-running the host for its current spec' : request.rerunOf ? `this was already the re-run of ${request.rerunOf}, so the next trigger or poller pass applies it` : 'nothing to re-run';
    this.logger.warn(`not enabled hostId=${request.hostId} runId=${runId}: ${verdict.reason}; ${next}`);
    await this.statuses.record({ ...base, phase, reason: `not enabled: ${verdict.reason}; ${next}`, at: now() });
    return { handled: rerun ? { phase, stale: verdict } : { phase } };
  }
}

/** Only a run that kept its new config may show a verification that passed. */
function truthfulOutcome(outcome: ApplyOutcomeSummary): ApplyOutcomeSummary {
  const kept = outcome.status === 'applied' || outcome.status === 'no-op' || outcome.status === 'dry-run';
  if (kept || !outcome.verification?.ok) return outcome;
  return { ...outcome, verification: { ...outcome.verification, ok: false } };
}

/** Where the host sits, as a record names it. */
function placementOf(record: HostStatusRecord | undefined): Partial<HostStatusRecord> {
  if (!record) return {};
  const { podId, clusterId, zoneName, podName, clusterName } = record;
  return { podId, clusterId, zoneName, podName, clusterName };
}

function now(): string {
  return new Date().toISOString();
}
