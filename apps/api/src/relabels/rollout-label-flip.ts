import { CloudStackApiError, CloudStackAsyncTimeoutError } from '@hostnet/cloudstack';
import type { CloudStackCall } from '@hostnet/relabel';
import { latest, type RolloutContext } from './rollout-context';

/** How one forward flip ended: CloudStack holds the new label, or the rollout stopped running before it was sent. */
export type FlipEnd = 'confirmed' | 'not-running';

/**
 * One forward label flip (updateTrafficType). Two records: `flipped` (the flip may have reached CloudStack,
 * written before the call: what the rollback flips back) and `flipConfirmed` (CloudStack holds the new label:
 * what a later runner skips). A flip attempted and never confirmed (refused, a crash, a lost lock) is sent
 * again, unless listTrafficTypes shows the new label already.
 */
export class LabelFlip {
  constructor(private readonly ctx: RolloutContext) {}

  /** Throws when updateTrafficType fails: the caller pauses, the attempt stays recorded for the rollback. */
  async forward(call: CloudStackCall): Promise<FlipEnd> {
    const trafficTypeId = call.params.id!;
    const label = call.params.kvmnetworklabel ?? '';
    const rollout = await latest(this.ctx);
    if (rollout.flipConfirmed?.includes(trafficTypeId)) return 'confirmed';
    if (rollout.flipped.includes(trafficTypeId) && (await this.shows(trafficTypeId, label))) {
      await this.confirm(trafficTypeId);
      return 'confirmed';
    }
    // A pause or abort that came since the phase began stops the flip before anything is sent.
    const attempted = await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== 'running' || r.phase !== 'flip') return false;
      if (!r.flipped.includes(trafficTypeId)) r.flipped.push(trafficTypeId);
      r.everFlipped = true;
    });
    if (attempted.state !== 'running' || attempted.phase !== 'flip') return 'not-running';
    try {
      await this.ctx.cloudstack.updateTrafficTypeLabel(trafficTypeId, label);
    } catch (error) {
      if (error instanceof CloudStackAsyncTimeoutError) {
        const jobId = error.jobId;
        await this.ctx.store.update(this.ctx.id, (r) => void (r.flipJobs = { ...r.flipJobs, [trafficTypeId]: jobId }));
      }
      throw error;
    }
    await this.confirm(trafficTypeId);
    return 'confirmed';
  }

  /**
   * Throws while a timed-out forward flip's job may still run: flipped back before it ends, the label would
   * turn new again behind the rollback (every host back on the old bridge only). The next runner asks again.
   */
  async awaitForwardJob(trafficTypeId: string): Promise<void> {
    const jobId = (await latest(this.ctx)).flipJobs?.[trafficTypeId];
    if (!jobId) return;
    const status = await this.ctx.cloudstack.asyncJobStatus(jobId).catch((error: unknown) => {
      // 431 (invalid jobid): CloudStack no longer has the job, and it expunges only jobs that ended (job.expire.minutes).
      if (error instanceof CloudStackApiError && error.httpStatus === 431) return 'expunged' as const;
      throw error;
    });
    if (status === 'pending') {
      throw new Error(`label of traffic type ${trafficTypeId} not flipped back yet: its forward updateTrafficType job ${jobId} is still pending in CloudStack and would overtake the flip back; the next runner asks again`);
    }
  }

  /** Throws unless listTrafficTypes shows `label` on the traffic type now (a failed read is no proof either). */
  async assertShows(trafficTypeId: string, label: string, why: string): Promise<void> {
    if (!(await this.shows(trafficTypeId, label))) {
      throw new Error(`traffic type ${trafficTypeId} does not show kvmnetworklabel ${label || '(unset)'} in listTrafficTypes ${why}; the next runner tries again`);
    }
  }

  /** The traffic types of the plan whose label CloudStack shows as the new one now; a failed read throws. */
  async showingNew(): Promise<string[]> {
    const found: string[] = [];
    for (const change of this.ctx.plan.changes) {
      const now = await this.ctx.cloudstack.trafficTypeLabel(change.physicalNetworkId, change.trafficTypeId);
      if ((now ?? '') === change.newLabel) found.push(change.trafficTypeId);
    }
    return found;
  }

  /** The label is back to the old one in CloudStack: neither flipped nor confirmed any more. */
  async flippedBack(trafficTypeId: string): Promise<void> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      r.flipped = r.flipped.filter((id) => id !== trafficTypeId);
      if (r.flipJobs) delete r.flipJobs[trafficTypeId];
      if (r.flipConfirmed) r.flipConfirmed = r.flipConfirmed.filter((id) => id !== trafficTypeId);
    });
  }

  private async confirm(trafficTypeId: string): Promise<void> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      const confirmed = r.flipConfirmed ?? [];
      if (confirmed.includes(trafficTypeId)) return false;
      r.flipConfirmed = [...confirmed, trafficTypeId];
    });
  }

  /** Whether CloudStack shows `label` on the traffic type now; a failed read counts as no (the flip is sent again). */
  private async shows(trafficTypeId: string, label: string): Promise<boolean> {
    const change = this.ctx.plan.changes.find((c) => c.trafficTypeId === trafficTypeId);
    if (!change) return false;
    try {
      const now = await this.ctx.cloudstack.trafficTypeLabel(change.physicalNetworkId, trafficTypeId);
      return now !== undefined && (now ?? '') === label;
    } catch (error) {
      this.ctx.log(`listTrafficTypes for traffic type ${trafficTypeId} failed (${(error as Error).message}); taken as not showing ${label || '(unset)'}`);
      return false;
    }
  }
}
