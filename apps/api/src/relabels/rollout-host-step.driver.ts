import type { KvmHost } from '@hostnet/cloudstack';
import { isPermanentError } from '@hostnet/contracts';
import type { HostStep } from '@hostnet/relabel';
import type { HostSeen, HostStepOutcome, HostStepRequest } from './relabel-ports';
import type { HostStepPurpose, HostStepRecord, RelabelRollout, RolloutState } from './relabel-rollout.types';
import { HALTED, latest, nowIso, sleep, type Halted, type RolloutContext } from './rollout-context';
import { expectedState, HostAllocation, MAINTENANCE_STATES, noteBefore } from './rollout-host-allocation';
import { rethrowIfRunnerMustStop } from './rollout-lock';

/** How one host step ended; `stuckInMaintenance` when the rollout could not take the host out of maintenance. */
export interface StepResult {
  ok: boolean;
  reason?: string;
  stuckInMaintenance?: boolean;
  /**
   * Not the host's own failure: CloudStack's side failed around it (a listVirtualMachines, an Enable or a cancel
   * after its run verified) or its run never reached the worker. The rollout pauses; abortAfter does not count it.
   */
  passing?: true;
}

/**
 * Drives one host step to its end, persisting every stage in the rollout before acting on it, so a runner
 * started after a crash continues the step where it stood: a run already enqueued is waited for (never
 * enqueued twice), maintenance the rollout requested is cancelled, a host already back is not waited for.
 * A step answers HALTED when the runner stopped, or when the rollout's state no longer lets it start (begin).
 */
export class HostStepDriver {
  /** prepareHostForMaintenance one host at a time per cluster: CloudStack refuses a second while one prepares. */
  private readonly prepareChains = new Map<string, Promise<unknown>>();
  private readonly allocation: HostAllocation;

  constructor(private readonly ctx: RolloutContext) {
    this.allocation = new HostAllocation(ctx);
  }

  /** A plain step (expand, switch, restore): one configure run, then the host back Up when the agent restarted. */
  async plain(hostId: string, request: HostStepRequest): Promise<StepResult | Halted> {
    if (!(await this.begin(hostId, request))) return HALTED;
    const outcome = await this.configure(hostId, request);
    if (outcome === HALTED) return HALTED;
    let result: StepResult = { ok: outcome.ok, ...(outcome.reason ? { reason: outcome.reason } : {}), ...(neverRan(outcome) ? { passing: true as const } : {}) };
    if (outcome.ok && request.restartAgent) {
      const back = await this.waitHostBack(hostId, undefined);
      if (back === HALTED) return HALTED;
      if (!back.ok) result = back;
      else await this.settled(hostId, back.seen);
    } else if (outcome.ok) {
      // No restart to wait for: one read says whether the host is Up and Enabled (a failed read leaves the status as it is).
      await this.settled(hostId, await this.ctx.cloudstack.host(hostId).catch(() => undefined));
    }
    await this.finish(hostId, result, outcome);
    return result;
  }

  /**
   * A step inside maintenance (contract, and its rollback to both): prepareHostForMaintenance per strategy,
   * the configure run, cancelHostMaintenance, then the host back Up in the state it had before the rollout.
   * Maintenance is cancelled only on a verified layout (the run verified, or no run started and the host's
   * last layout was verified): otherwise the host stays in it and the step fails.
   */
  async maintained(hostId: string, request: HostStepRequest, planned: HostStep | undefined): Promise<StepResult | Halted> {
    const begun = await this.begin(hostId, request, 'maintenance');
    if (!begun) return HALTED;
    let current = begun;
    // Set when this runner saw the step fail on CloudStack's side or its run never reach the worker (not kept across runners).
    let passing = false;
    if (current.stage === 'maintenance') {
      const prepared = await this.prepare(hostId, current, planned);
      if (prepared === HALTED) return HALTED;
      passing = prepared.passing === true;
      if (!prepared.ok) {
        await this.patch(hostId, (s) => Object.assign(s, { stage: 'cancel', result: 'failed', runStatus: 'not-run', reason: prepared.reason }));
      } else {
        await this.patch(hostId, (s) => Object.assign(s, { stage: 'configure', configureAt: nowIso() }));
      }
      current = await this.current(hostId);
    }
    if (current.stage === 'configure') {
      const outcome = await this.configure(hostId, request);
      if (outcome === HALTED) return HALTED;
      passing = neverRan(outcome);
      await this.patch(hostId, (s) => Object.assign(s, { stage: 'cancel', result: outcome.ok ? 'verified' : 'failed', runStatus: outcome.runStatus, ...(outcome.reason ? { reason: outcome.reason } : {}) }));
      current = await this.current(hostId);
    }
    if (current.stage === 'cancel') {
      if (current.maintenance) {
        if (!mayLeaveMaintenance(current, (await latest(this.ctx)).hosts[hostId]!.unverified)) {
          const kept: StepResult = { ok: false, reason: `${current.reason ?? 'not verified'}; the host stays in maintenance until a layout verifies`, stuckInMaintenance: true, ...(passing ? { passing: true as const } : {}) };
          await this.ctx.store.update(this.ctx.id, (r) => void (r.hosts[hostId]!.leftInMaintenance = true));
          await this.finish(hostId, kept, undefined);
          return kept;
        }
        const cancelled = await this.allocation.leaveMaintenance(hostId);
        if (!cancelled.ok) return { ok: false, ...(cancelled.reason ? { reason: cancelled.reason } : {}), stuckInMaintenance: true, ...(cancelled.passing ? { passing: true as const } : {}) };
      }
      await this.patch(hostId, (s) => (s.stage = 'wait'));
      current = await this.current(hostId);
    }
    const verified = current.result === 'verified';
    let result: StepResult = { ok: verified, ...(current.reason ? { reason: current.reason } : {}), ...(passing && !verified ? { passing: true as const } : {}) };
    if (verified) {
      const back = await this.waitHostBack(hostId, expectedState(await latest(this.ctx), hostId));
      if (back === HALTED) return HALTED;
      if (!back.ok) result = back;
      else await this.settled(hostId, back.seen);
    }
    await this.finish(hostId, result, undefined);
    return result;
  }

  /** The host's status moves on from `verified` once the step's run verified and the host is seen back Up and Enabled. */
  private async settled(hostId: string, seen: HostSeen | undefined): Promise<void> {
    if (!seen) return;
    const runId = (await this.current(hostId))?.runId;
    if (runId !== undefined) await this.ctx.steps.settled(hostId, runId, seen);
  }

  /** Waits until `hostId` is Up (and in resource state `expect` when given); recorded as one listHosts entry. */
  async waitHostBack(hostId: string, expect: string | undefined): Promise<(StepResult & { seen?: HostSeen }) | Halted> {
    const deadline = Date.now() + this.ctx.options.hostWaitTimeoutMs;
    let seen = 'unknown';
    for (;;) {
      if (this.ctx.halted()) return HALTED;
      const host = await this.ctx.cloudstack.host(hostId).catch(() => undefined);
      if (host) seen = `${host.state}/${host.resourceState}`;
      if (host?.state === 'Up' && (expect === undefined || host.resourceState === expect)) {
        await this.ctx.cloudstack.recordWait(hostId, true, `back ${seen}`);
        return { ok: true, seen: host };
      }
      if (Date.now() > deadline) {
        const reason = `host not back ${expect ? `Up and ${expect}` : 'Up'} after ${this.ctx.options.hostWaitTimeoutMs} ms (last seen ${seen})`;
        await this.ctx.cloudstack.recordWait(hostId, false, reason);
        return { ok: false, reason };
      }
      await sleep(this.ctx.options.pollMs);
    }
  }

  /**
   * Resumes the host's step, or starts it (superseding another) only while the rollout's state drives steps
   * of its kind: undefined when a pause or abort came in since the caller read the state.
   */
  private async begin(hostId: string, request: HostStepRequest, stage?: HostStepRecord['stage']): Promise<HostStepRecord | undefined> {
    const rollout = await this.ctx.store.update(this.ctx.id, (r) => {
      const host = r.hosts[hostId]!;
      if (host.current && host.current.purpose === request.purpose && host.current.layout === request.layout) return false;
      if (r.state !== stateFor(request.purpose)) return false;
      // Maintenance the rollout put the host in (by the superseded step, or one that ended unverified) is the new step's to cancel.
      const inOurMaintenance = host.current?.maintenance === true || host.leftInMaintenance === true;
      // A superseded step keeps what its run proved (a verified run stays verified); only one that never ended counts as failed.
      if (host.current) {
        const ended = host.current.result !== undefined;
        host.steps.push({ ...host.current, endedAt: nowIso(), ...(ended ? {} : { result: 'failed', reason: `superseded by ${request.purpose}` }), supersededBy: request.purpose });
      }
      host.current = { purpose: request.purpose, layout: request.layout, restartAgent: request.restartAgent, startedAt: nowIso(), ...(stage ? { stage } : {}), ...(inOurMaintenance ? { maintenance: true } : {}) };
    });
    const current = rollout.hosts[hostId]!.current;
    if (current?.purpose !== request.purpose || current.layout !== request.layout) {
      this.ctx.log(`host ${hostId}: ${request.purpose} not started, the rollout is ${rollout.state}`);
      return undefined;
    }
    return current;
  }

  private async current(hostId: string): Promise<HostStepRecord> {
    return (await latest(this.ctx)).hosts[hostId]!.current!;
  }

  private async patch(hostId: string, change: (step: HostStepRecord) => void): Promise<RelabelRollout> {
    return this.ctx.store.update(this.ctx.id, (r) => {
      const step = r.hosts[hostId]?.current;
      if (!step) return false;
      change(step);
    });
  }

  /** Enqueues the step's run unless one is recorded, then waits for its outcome. */
  private async configure(hostId: string, request: HostStepRequest): Promise<HostStepOutcome | Halted> {
    let step = await this.current(hostId);
    while (!step.runId) {
      if (this.ctx.halted()) return HALTED;
      const rollout = await latest(this.ctx);
      let started: Awaited<ReturnType<RolloutContext['steps']['start']>>;
      try {
        started = await this.ctx.steps.start(rollout, rollout.hosts[hostId]!, request, async (run) => {
          await this.patch(hostId, (s) => Object.assign(s, { runId: run.runId, jobId: run.jobId, runQueuedAt: nowIso() }));
        });
      } catch (error) {
        // An invalid intent fails this host; anything transient stops the runner and the next one retries.
        if (!isPermanentError(error)) throw error;
        return { ok: false, runStatus: 'not-run', reason: (error as Error).message };
      }
      if ('busyWith' in started) {
        this.ctx.log(`host ${hostId}: waiting for run ${started.busyWith} (not the rollout's) to end`);
        const freed = await this.waitFor(() => this.ctx.steps.inFlight(hostId, started.busyWith).then((busy) => (busy ? undefined : true)), step.configureAt ?? step.startedAt);
        if (freed === HALTED) return HALTED;
        if (freed === undefined) return { ok: false, runStatus: 'timeout', reason: `another run (${started.busyWith}) kept the host busy` };
      }
      step = await this.current(hostId);
    }
    const runId = step.runId;
    // From the enqueue: a maintenance before it (its VMs migrating) must not eat the run's time.
    const outcome = await this.waitFor(() => this.ctx.steps.outcome(hostId, runId), step.runQueuedAt ?? step.configureAt ?? step.startedAt);
    if (outcome === HALTED) return HALTED;
    return outcome ?? { ok: false, runStatus: 'timeout', reason: `run ${runId} did not end within ${this.ctx.options.stepTimeoutMs} ms` };
  }

  /** Polls `check` until it answers, stepTimeoutMs after `since` (undefined) or the runner halts. */
  private async waitFor<T>(check: () => Promise<T | undefined>, since: string): Promise<T | undefined | Halted> {
    const deadline = Date.parse(since) + this.ctx.options.stepTimeoutMs;
    for (;;) {
      if (this.ctx.halted()) return HALTED;
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() > deadline) return undefined;
      await sleep(this.ctx.options.pollMs);
    }
  }

  /** Maintenance per the plan's step (`before`): always, only with running VMs, or none. */
  private async prepare(hostId: string, step: HostStepRecord, planned: HostStep | undefined): Promise<StepResult | Halted> {
    const call = planned?.before.find((c) => c.api === 'prepareHostForMaintenance');
    if (!call) return { ok: true };
    if (call.condition === 'if-running-vms') {
      const vms = await this.ctx.cloudstack.countRunningVms(hostId).catch((e: Error) => (rethrowIfRunnerMustStop(e), e));
      if (vms instanceof Error) return { ok: false, reason: `listVirtualMachines failed: ${vms.message}`, passing: true };
      if (vms === 0) return { ok: true };
    }
    let host = await this.ctx.cloudstack.host(hostId);
    // A prepare sent before a restart may still be migrating VMs: wait for its end rather than send another.
    const deadline = Date.now() + this.ctx.options.hostWaitTimeoutMs;
    while (host?.resourceState === 'PrepareForMaintenance' && Date.now() < deadline) {
      if (this.ctx.halted()) return HALTED;
      await sleep(this.ctx.options.pollMs);
      host = await this.ctx.cloudstack.host(hostId);
    }
    const ours = step.maintenance === true;
    if (host?.resourceState === 'Maintenance') {
      // Ours from before a restart when the step says so; an operator's otherwise: it stays there after the rollout.
      if (!ours) await this.ctx.store.update(this.ctx.id, (r) => void noteBefore(r, hostId, 'Maintenance'));
      return { ok: true };
    }
    if (!ours && host && MAINTENANCE_STATES.has(host.resourceState)) {
      return { ok: false, reason: `host is ${host.resourceState}, which the rollout did not cause; finish or cancel that maintenance in CloudStack, then resume` };
    }
    await this.ctx.store.update(this.ctx.id, (r) => {
      r.hosts[hostId]!.current!.maintenance = true;
      if (host) noteBefore(r, hostId, host.resourceState);
    });
    const clusterId = planned?.clusterId ?? '';
    // the next host of the cluster waits until this one is in Maintenance: CloudStack refuses a prepare while one migrates
    const run = (this.prepareChains.get(clusterId) ?? Promise.resolve()).then(() =>
      this.ctx.cloudstack.prepareHostForMaintenance(hostId).then(
        (h) => this.untilInMaintenance(hostId, h),
        (e: Error) => (rethrowIfRunnerMustStop(e), { ok: false, reason: `prepareHostForMaintenance failed: ${e.message}` }),
      ),
    );
    this.prepareChains.set(clusterId, run.catch(() => undefined));
    return run;
  }

  /**
   * CloudStack answers prepareHostForMaintenance once it has scheduled the VMs' migrations, with the host in
   * PrepareForMaintenance (ResourceManagerImpl.maintain); its own periodic check moves the host to Maintenance when
   * they are done, or to ErrorInPrepareForMaintenance / ErrorInMaintenance when one fails.
   */
  private async untilInMaintenance(hostId: string, answered: KvmHost): Promise<StepResult | Halted> {
    let host: KvmHost | undefined = answered;
    const deadline = Date.now() + this.ctx.options.hostWaitTimeoutMs;
    let state: string = host?.resourceState ?? 'gone';
    while (state === 'PrepareForMaintenance' && Date.now() < deadline) {
      if (this.ctx.halted()) return HALTED;
      await sleep(this.ctx.options.pollMs);
      try {
        host = await this.ctx.cloudstack.host(hostId);
        state = host?.resourceState ?? 'gone';
      } catch (e) {
        // a failed read says nothing about the migrations: read again until the deadline
        rethrowIfRunnerMustStop(e as Error);
      }
    }
    if (state === 'Maintenance') return { ok: true };
    // the step then cancels the maintenance it asked for (maintained's cancel stage)
    return {
      ok: false,
      reason:
        state === 'PrepareForMaintenance'
          ? `host still PrepareForMaintenance ${this.ctx.options.hostWaitTimeoutMs} ms after prepareHostForMaintenance (its VMs still migrating), so the rollout cancelled that maintenance; fix: see what holds the migrations in CloudStack, then resume`
          : `prepareHostForMaintenance left the host ${state}, so the rollout cancelled that maintenance; fix what CloudStack reports for its VMs, then resume`,
    };
  }

  /** Moves the step to the host's history; a verified step sets the host's layout. */
  private async finish(hostId: string, result: StepResult, outcome: HostStepOutcome | undefined): Promise<void> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      const host = r.hosts[hostId]!;
      const step = host.current;
      if (!step) return false;
      const done: HostStepRecord = {
        ...step,
        endedAt: nowIso(),
        result: result.ok ? 'verified' : 'failed',
        ...(outcome ? { runStatus: outcome.runStatus } : {}),
        ...(result.reason ? { reason: result.reason } : {}),
      };
      delete done.stage;
      host.steps.push(done);
      delete host.current;
      if (result.ok) {
        host.layout = step.layout;
        delete host.unverified;
      } else if (step.runId !== undefined && !outcome?.unchanged) {
        // Only a run that started may have changed the host; a step that never ran (its maintenance failed), or
        // whose run was refused before it armed its rollback, left the verified layout: nothing to restore.
        host.unverified = step.layout;
      }
    });
  }
}

/** The step's run was lost before the worker took it up: nothing ran on the host, so it is not the host's failure. */
function neverRan(outcome: HostStepOutcome): boolean {
  return outcome.runStatus === 'lost' && outcome.unchanged === true;
}

/**
 * Whether the host may leave the maintenance of `step`: its run verified, or no run started (the prepare
 * failed) and the host's last layout was verified (`unverified` unset). Never on an unverified layout.
 */
function mayLeaveMaintenance(step: HostStepRecord, unverified: string | undefined): boolean {
  return step.result === 'verified' || (step.runId === undefined && unverified === undefined);
}

const ROLLBACK_PURPOSES: ReadonlySet<HostStepPurpose> = new Set(['restore-both', 'switch-back', 'restore-old']);

/** The rollout state in which a new step of `purpose` may start: the forward's while running, the rollback's while aborting. */
function stateFor(purpose: HostStepPurpose): RolloutState {
  return ROLLBACK_PURPOSES.has(purpose) ? 'aborting' : 'running';
}
