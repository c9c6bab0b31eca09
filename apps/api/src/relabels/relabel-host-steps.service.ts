import { Injectable } from '@nestjs/common';
import { HostnetError } from '@hostnet/contracts';
import { HostSpecService, runHostOf, TopologyCache } from '@hostnet/host-spec';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HostJobEnqueuer } from '../jobs/host-job.enqueuer';
import { HostRunRegistry } from '../runs/host-run.registry';
import { InFlightRunChecker } from '../runs/in-flight-run.checker';
import type { HostSeen, HostStepOutcome, HostStepRequest, HostStepRun, RelabelHostStepPort } from './relabel-ports';
import type { RelabelRollout, RolloutHost } from './relabel-rollout.types';
import { stepOutcomeOf } from './relabel-step-outcome';
import { hostPlacement } from '../hosts/host-placement';

/** The enqueuer refused the step (the rollout no longer holds the host, a resolve holds it): this host's step fails. */
export class RelabelStepRefusedError extends HostnetError {
  readonly permanent = true;
}

/**
 * Host steps as ordinary hostnet runs: a configure job through the one enqueuer (one run per host, result
 * bound to it), carrying `relabel` for the worker, and its outcome read from the host's history where
 * HostResultsService records every accepted result. Nothing here fakes a result: a run that can no longer
 * report (its job and result both gone) is `lost`.
 */
@Injectable()
export class RelabelHostStepsService implements RelabelHostStepPort {
  constructor(
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    private readonly enqueuer: HostJobEnqueuer,
    private readonly statuses: HostStatusRepository,
    private readonly runs: HostRunRegistry,
    private readonly checker: InFlightRunChecker,
  ) {}

  async start(rollout: RelabelRollout, host: RolloutHost, step: HostStepRequest, claimed: (run: HostStepRun) => Promise<void>): Promise<HostStepRun | { busyWith: string }> {
    // The shared cache (a few seconds old at most), not fresh list calls per host step: the overlay names
    // bridges by the old label, so the step's spec is the same on either side of the flip.
    const topology = await this.topologies.get(rollout.zoneId);
    const cloudstackHost = topology.hosts.find((h) => h.id === host.hostId);
    if (!cloudstackHost) throw new RelabelStepRefusedError(`host ${host.hostId} is not in zone ${rollout.zoneId} any more`);
    const relabel = { rolloutId: rollout.id, layout: step.layout, changes: rollout.changes, restartAgent: step.restartAgent };
    // Derived once, here, with the step's overlay applied (layout in the hash): the worker applies this spec as stored.
    const spec = this.specs.specFor(topology, host.hostId, relabel);
    const { specHash } = spec;
    const trigger = { kind: 'operator' as const, by: `relabel ${rollout.id}`, detail: `${step.purpose}: layout ${step.layout}${step.restartAgent ? ', agent restart' : ''}` };
    const request = { zoneId: rollout.zoneId, hostId: host.hostId, hostName: host.hostName, specHash, mode: 'apply' as const, force: false, trigger, relabel };
    const result = await this.enqueuer.enqueue(request, { host: runHostOf(cloudstackHost), ...spec }, async ({ runId, jobId }) => {
      // The rollout learns the run first: a restart in between finds it recorded and waits for it instead of enqueuing another.
      await claimed({ runId, jobId });
      await this.statuses.record({
        ...hostPlacement(cloudstackHost, topology),
        phase: 'queued',
        specHash,
        jobId,
        runId,
        trigger,
        relabel: { rolloutId: rollout.id, layout: step.layout, restartAgent: step.restartAgent },
        at: new Date().toISOString(),
      });
    });
    // No run to wait for (the rollout does not hold the host): this step cannot run. A resolve or dry-run in flight is waited for.
    if (!result.runId) throw new RelabelStepRefusedError(`host step not enqueued: ${result.skipped ?? 'no run'}`);
    return result.enqueued ? { runId: result.runId, jobId: result.jobId } : { busyWith: result.runId };
  }

  async settled(hostId: string, runId: string, seen: HostSeen): Promise<void> {
    if (seen.state !== 'Up' || seen.resourceState !== 'Enabled') return;
    const last = await this.statuses.latest(hostId);
    // Only the run's own verified (or no-op) record moves on (a runner resumed after a crash may see the host back twice).
    if (!last || last.runId !== runId || (last.phase !== 'verified' && last.phase !== 'no-op')) return;
    const { reason: _verifiedReason, cloudstackCalls: _calls, ...record } = last;
    await this.statuses.record({ ...record, phase: 'enabled', reason: `back Up and Enabled after ${last.relabel ? `layout ${last.relabel.layout} (rollout ${last.relabel.rolloutId})` : 'its relabel step'}`, at: new Date().toISOString() });
  }

  async outcome(hostId: string, runId: string): Promise<HostStepOutcome | undefined> {
    const found = await this.recorded(hostId, runId);
    if (found) return found;
    const current = await this.runs.current(hostId);
    if (current?.runId === runId) {
      if (await this.checker.stillInFlight(current)) return undefined;
      await this.runs.release(hostId, runId);
    }
    // Released after its result was recorded (or never ran): look once more, then it is lost.
    const history = await this.statuses.history(hostId, 50);
    const late = stepOutcomeOf(history, runId);
    if (late) return late;
    // Nothing past `queued` for it: no worker took it up (an api that stopped between the claim and the job), nothing changed.
    if (!history.some((r) => r.runId === runId && r.phase !== 'queued')) {
      return { ok: false, runStatus: 'lost', reason: `run ${runId} never reached a worker (its job was never queued or went before it started); the host is as it was`, unchanged: true };
    }
    return { ok: false, runStatus: 'lost', reason: `run ${runId} ended without a result (job gone before reporting)` };
  }

  async inFlight(hostId: string, runId: string): Promise<boolean> {
    const current = await this.runs.current(hostId);
    return current?.runId === runId && (await this.checker.stillInFlight(current));
  }

  private async recorded(hostId: string, runId: string): Promise<HostStepOutcome | undefined> {
    return stepOutcomeOf(await this.statuses.history(hostId, 50), runId);
  }
}
