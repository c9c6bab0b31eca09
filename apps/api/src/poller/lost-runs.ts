import { Injectable } from '@nestjs/common';
import type { RunAllocation } from '@hostnet/contracts';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusBrief } from '../hosts/host-status.types';
import { HostLock } from '../runs/host-lock';
import { HostRunRegistry, runAllocationOf } from '../runs/host-run.registry';
import { ENQUEUE_GRACE_MS, InFlightRunChecker } from '../runs/in-flight-run.checker';

/** A host the poller skipped as "in progress" whose run can no longer end: its trigger re-runs it. */
export interface LostRun {
  /** The lost run, when api still knows which it was. */
  runId?: string;
  /** Why it is lost, for the trigger's reason and the re-run's record. */
  why: string;
  /** The lost run's allocation, which its re-run keeps (an operator's enable, a withheld one). */
  allocation?: RunAllocation;
}

/**
 * Which of the hosts the poller would skip as "in progress" are not: their run was lost (its worker's job
 * failed without a report, Redis lost the job, api stopped between recording `verified` and the enable)
 * and nothing else would ever trigger them again. Cheap: asked only for those hosts, and only once their
 * status is older than the enqueue grace. A host whose lock is held (a result handler at work, renewing it)
 * is never lost here, whatever its queues say; the enqueuer's claim decides again when the trigger comes.
 */
@Injectable()
export class LostRunFinder {
  constructor(
    private readonly runs: HostRunRegistry,
    private readonly checker: InFlightRunChecker,
    private readonly lock: HostLock,
    private readonly statuses: HostStatusRepository,
  ) {}

  async find(candidates: readonly { hostId: string; latest: HostStatusBrief }[], nowMs = Date.now()): Promise<Map<string, LostRun>> {
    const lost = new Map<string, LostRun>();
    const old = candidates.filter((c) => nowMs - Date.parse(c.latest.at) >= ENQUEUE_GRACE_MS);
    if (old.length === 0) return lost;
    const ids = old.map((c) => c.hostId);
    const [registered, locked] = await Promise.all([this.runs.currentMany(ids), this.lock.heldMany(ids)]);
    const withRun = old.flatMap((c, i) => (registered[i] && !locked[i] ? [{ ...c, run: registered[i]! }] : []));
    const alive = await this.checker.stillInFlightMany(withRun.map((c) => c.run));
    for (const [i, { hostId, latest, run }] of withRun.entries()) {
      if (alive[i]) continue;
      // an operator's enable recorded on it counts as its own (runAllocationOf)
      const allocation = run.mode === 'apply' && !run.relabel ? runAllocationOf(run).allocation : undefined;
      lost.set(hostId, {
        runId: run.runId,
        why: `its record says ${latest.phase}, but run ${run.runId} has no configure job and no pending result left to end it`,
        ...(allocation ? { allocation } : {}),
      });
    }
    // No run recorded at all, yet the record says one is under way (its enqueue failed after `queued` was recorded, or
    // the registry lost it): nothing can end it either.
    for (const [i, { hostId, latest }] of old.entries()) {
      if (!registered[i] && !locked[i]) lost.set(hostId, { why: `its record says ${latest.phase}, but api holds no run of the host in flight` });
    }
    // Read again after the queues: a result handled meanwhile recorded its end before it released its run, so a
    // record that moved since the pass read it (or a run that left the registry) was not lost; nor was a run a result
    // took meanwhile (bound: its handler is at work and records its end).
    const briefs = new Map(old.map((c) => [c.hostId, c.latest]));
    const boundBefore = new Map(old.map((c, i) => [c.hostId, registered[i]?.resultJobId]));
    const after = await this.runs.currentMany([...lost.keys()]);
    const records = await Promise.all([...lost.keys()].map((id) => this.statuses.latest(id)));
    [...lost.entries()].forEach(([hostId, found], i) => {
      const record = records[i];
      const moved = record?.at !== briefs.get(hostId)?.at || after[i]?.runId !== found.runId || after[i]?.resultJobId !== boundBefore.get(hostId);
      if (moved) return void lost.delete(hostId);
      if (!found.runId && record?.runId) lost.set(hostId, { ...found, runId: record.runId });
    });
    return lost;
  }
}
