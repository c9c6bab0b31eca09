import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, Optional } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import {
  configureHostJobId,
  JobName,
  JobPresets,
  QueueName,
  type ConfigureHostJobData,
} from '@hostnet/contracts';
import { HostRunSpecRepository, isRedisOutage, RedisOutageAfterEffectError, routedByWork } from '@hostnet/platform';
import type { HostRunSpec } from '@hostnet/host-spec';
import { RelabelHolds } from '../relabels/relabel-holds';
import { HostRunRegistry, runAllocationOf, type InFlightRun } from '../runs/host-run.registry';
import { claimHostRun } from '../runs/host-run.claim';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import { BackgroundHostNetworkQueue } from './background-host-network.queue';

/** A job's payload minus what the enqueuer itself stamps on it. */
export type EnqueueHostRequest = Omit<ConfigureHostJobData, 'requestId' | 'requestedAt'>;

export interface EnqueueResult {
  jobId: string;
  /** False when a run for this host was already in flight (queued, running, or its result pending): the trigger joined it. */
  enqueued: boolean;
  /** The run this trigger started or joined; none when the host is held by a relabel rollout. */
  runId?: string;
  /** Why nothing was enqueued or joined: always another run or a relabel rollout holding the host (a conflict). */
  skipped?: string;
  /**
   * Set when an operator's apply asking for the enable joined an apply in flight: `recorded` on that run (its result
   * enables the host as if it had been asked), or why it could not be, with what the run will do instead.
   */
  enableAsk?: { recorded: true } | { recorded: false; why: string };
}

/**
 * The one way to enqueue host work: it alone decides queue, job id and option preset, and it keeps
 * one run per host in flight from enqueue until api has handled that run's result. A trigger
 * arriving meanwhile joins the run, even after the worker's job is gone and only its result waits.
 */
@Injectable()
export class HostJobEnqueuer {
  private readonly logger = new Logger(HostJobEnqueuer.name);
  private readonly queue: Queue<ConfigureHostJobData>;

  constructor(
    @InjectQueue(QueueName.HostNetwork) requestQueue: Queue<ConfigureHostJobData>,
    private readonly runs: HostRunRegistry,
    private readonly checker: InFlightRunChecker,
    private readonly holds: RelabelHolds,
    private readonly specs: HostRunSpecRepository,
    @Optional() background?: BackgroundHostNetworkQueue,
  ) {
    this.queue = background ? routedByWork(requestQueue, background.queue) : requestQueue;
  }

  /**
   * `spec` is what the worker will apply (api's one derivation of it): stored by hash before the job
   * exists, so the worker reads it instead of CloudStack. `beforeAdd` runs once the host is claimed
   * for this run and before the worker can see it, told the lost run this one replaced, if any.
   */
  async enqueue(request: EnqueueHostRequest, spec: HostRunSpec, beforeAdd?: (run: InFlightRun, replaced?: InFlightRun) => Promise<void>): Promise<EnqueueResult> {
    // A drift check only ever reads: nothing is applied to a host because its drift was checked.
    if (request.trigger.kind === 'drift' && request.mode !== 'dry-run') throw new Error(`a drift check must be a dry-run (hostId=${request.hostId})`);
    if (spec.specHash !== request.specHash || spec.host.id !== request.hostId) {
      throw new Error(`the run spec given for hostId=${request.hostId} is another one (host ${spec.host.id}, spec ${spec.specHash})`);
    }
    const data: ConfigureHostJobData = { ...request, requestId: randomUUID(), requestedAt: new Date().toISOString() };
    const jobId = configureHostJobId(request.hostId);
    const run = runOf(data, jobId);
    let replaced: InFlightRun | undefined;
    const joined = await this.claim(request.hostId, run, (lost) => (replaced = lost));
    if (joined) return this.joined(data, joined);
    // Checked again with the host claimed: a rollout that took the host after the trigger's own check (and
    // before this claim) would otherwise see its host run a layout derived from CloudStack alone.
    const holder = await this.holds.heldBy(request.hostId);
    if (holder !== request.relabel?.rolloutId) {
      await this.runs.release(request.hostId, run.runId);
      const skipped = holder
        ? `host is held by relabel rollout ${holder} until it ends (GET /relabels/${holder})`
        : `relabel rollout ${request.relabel?.rolloutId ?? ''} does not hold this host (it ended or never started): its step is not run`;
      this.logger.log(`not enqueued hostId=${request.hostId}: ${skipped} trigger=${request.trigger.kind}`);
      return { jobId, enqueued: false, skipped };
    }
    try {
      await this.specs.saveSpec(spec);
      await beforeAdd?.(run, replaced);
    } catch (error) {
      await this.runs.release(request.hostId, run.runId);
      throw error;
    }
    try {
      await this.queue.add(JobName.ConfigureHost, data, { ...JobPresets.configureHost, jobId });
    } catch (error) {
      // Redis may have stored the job and lost only its reply: the claim stays, so the run's result is accepted if
      // the job runs; if it was never stored, the run has neither job nor result and the next trigger replaces it.
      if (isRedisOutage(error)) throw new RedisOutageAfterEffectError(`host ${request.hostId} may have been queued (Redis went away while it was being added): GET /hosts/${request.hostId} once Redis is back says whether it runs`, error);
      await this.runs.release(request.hostId, run.runId);
      throw error;
    }
    // BullMQ's add() answers with a Job built from *our* data even when the id was taken, so only the
    // stored job tells. A different one is a job enqueued before runs were recorded (an older api):
    // it becomes the host's run, so its result is accepted.
    const stored = await this.queue.getJob(jobId);
    if (stored && stored.data.requestId !== data.requestId) {
      const adopted = runOf(stored.data, jobId);
      await this.runs.replace(request.hostId, run.runId, adopted);
      return this.joined(data, adopted);
    }
    this.logger.log(`enqueued ${request.mode} job jobId=${jobId} runId=${run.runId} hostId=${request.hostId} trigger=${request.trigger.kind}`);
    return { jobId, enqueued: true, runId: run.runId };
  }

  private claim(hostId: string, run: InFlightRun, onLost: (lost: InFlightRun) => void): Promise<InFlightRun | undefined> {
    return claimHostRun(this.runs, this.checker, hostId, run, (lost) => {
      this.logger.warn(`run ${lost.runId} of hostId=${hostId} ended without a result; starting run ${run.runId}`);
      onLost(lost);
    });
  }

  private async joined(request: ConfigureHostJobData, run: InFlightRun): Promise<EnqueueResult> {
    if (run.mode === 'resolve') {
      this.logger.log(`not enqueued hostId=${request.hostId}: resolve run ${run.runId} holds the host trigger=${request.trigger.kind}`);
      return { jobId: run.jobId, enqueued: false, runId: run.runId, skipped: `an operator's resolve of this host (run ${run.runId}) is in flight; configure once it has ended` };
    }
    if (run.mode === 'dry-run' && request.mode === 'apply') {
      // Joining would answer an apply with a dry-run's result: nothing applied, and nobody told.
      const what = run.trigger === 'drift' ? 'a drift check' : 'a dry-run';
      this.logger.log(`not enqueued hostId=${request.hostId}: ${what} (run ${run.runId}) is in flight trigger=${request.trigger.kind}`);
      return { jobId: run.jobId, enqueued: false, runId: run.runId, skipped: `${what} of this host (run ${run.runId}) is in flight; ask again once it has ended (a dry-run takes one round trip)` };
    }
    if (run.mode === 'apply' && request.mode === 'dry-run') {
      // Joining would answer "what would change" with an apply's result, as if the dry-run had changed the host.
      this.logger.log(`not enqueued hostId=${request.hostId}: an apply (run ${run.runId}) is in flight trigger=${request.trigger.kind}`);
      return { jobId: run.jobId, enqueued: false, skipped: `an apply of this host (run ${run.runId}) is in flight: its result (GET /hosts/${request.hostId}) shows what it changed; ask for a dry-run once it has ended` };
    }
    this.logger.log(`joined run ${run.runId} jobId=${run.jobId} hostId=${request.hostId} trigger=${request.trigger.kind}`);
    const enableAsk = request.allocation?.asked ? await this.askEnable(request, run) : undefined;
    return { jobId: run.jobId, enqueued: false, runId: run.runId, ...(enableAsk ? { enableAsk } : {}) };
  }

  /**
   * An operator asked for the enable and joined an apply: recorded on that run, so its result enables the host as
   * if they had triggered it (the allocation they saw, from when they asked); the job keeps its own, which its
   * result must still match. Too late once a result has taken the run: they are told what it will do instead.
   */
  private async askEnable(request: ConfigureHostJobData, run: InFlightRun): Promise<NonNullable<EnqueueResult['enableAsk']>> {
    const allocation = request.allocation!;
    const after = `once it has ended (GET /hosts/${request.hostId}), run: hostnet configure --host ${request.hostId} --enable`;
    if (run.relabel) {
      return { recorded: false, why: `run ${run.runId} is relabel rollout ${run.relabel.rolloutId}'s step, which never enables the host (the rollout gives it back the state it had); ${after}` };
    }
    if (run.enableAsked?.allocation.asked) return { recorded: true };
    const answer = await this.runs.askEnable(request.hostId, run.runId, { allocation, at: request.requestedAt, ...(request.trigger.by ? { by: request.trigger.by } : {}) });
    if (answer === 'recorded') {
      this.logger.log(`enable asked on run ${run.runId} hostId=${request.hostId} trigger=${request.trigger.kind}`);
      return { recorded: true };
    }
    const current = runAllocationOf(run).allocation;
    const leaves = current?.enable ? 'enables the host only as its own trigger allowed' : `will leave the host Disabled${current?.withheld ? ` (${current.withheld})` : ''}`;
    const why = answer === 'result-taken' ? `its result was already being handled when this request came, and it ${leaves}` : 'it ended before this request could be recorded on it';
    return { recorded: false, why: `${why}; ${after}` };
  }
}

function runOf(data: ConfigureHostJobData, jobId: string): InFlightRun {
  const { relabel, allocation } = data;
  return {
    runId: data.requestId,
    jobId,
    mode: data.mode,
    specHash: data.specHash,
    at: data.requestedAt,
    ...(data.trigger?.kind ? { trigger: data.trigger.kind } : {}),
    ...(relabel ? { relabel: { rolloutId: relabel.rolloutId, layout: relabel.layout, restartAgent: relabel.restartAgent } } : {}),
    ...(allocation ? { allocation: { atTrigger: allocation.atTrigger, enable: allocation.enable, ...(allocation.withheld ? { withheld: allocation.withheld } : {}), ...(allocation.asked ? { asked: true as const } : {}) } } : {}),
  };
}
