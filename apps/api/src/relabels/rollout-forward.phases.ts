import type { HostStep } from '@hostnet/relabel';
import type { RelabelRollout, RolloutPhase } from './relabel-rollout.types';
import { allOrStop, HALTED, hostNames, latest, nowIso, type Halted, type RolloutContext } from './rollout-context';
import { rethrowIfRunnerMustStop } from './rollout-lock';
import type { HostAllocation } from './rollout-host-allocation';
import type { HostStepDriver, StepResult } from './rollout-host-step.driver';
import { LabelFlip } from './rollout-label-flip';
import { hostsJoinedSincePlan, joinedReason } from './rollout-zone-hosts';

/** What a phase came to: it finished (the rollout moved on), or the runner must re-read the state. */
export type PhaseEnd = 'next' | 'interrupted' | Halted;

/**
 * The forward phases (docs/relabel.md §2): expand everywhere, freeze, flip once, switch, contract in waves.
 * Each phase does only what the record says is left, so a runner started after a crash or a resume
 * continues where the last one stopped. A failed host pauses the rollout (after the canary at once, else at
 * the end of the phase) unless `abortAfter` failed hosts are reached, which aborts it.
 */
export class ForwardPhases {
  private readonly labels: LabelFlip;

  constructor(
    private readonly ctx: RolloutContext,
    private readonly driver: HostStepDriver,
    private readonly allocation: HostAllocation,
  ) {
    this.labels = new LabelFlip(ctx);
  }

  /** Each phase starts only while CloudStack lists no host in the rollout's clusters that the rollout lacks. */
  async run(phase: RolloutPhase, rollout: RelabelRollout): Promise<PhaseEnd> {
    const joined = await hostsJoinedSincePlan(this.ctx, rollout);
    if (joined.length > 0) return this.pauseFor(joinedReason(joined, phase));
    switch (phase) {
      case 'expand':
        return this.expand(rollout);
      case 'freeze':
        return this.freeze(rollout);
      case 'flip':
        return this.flip();
      case 'switch':
        return this.switchAgents(rollout);
      case 'contract':
        return this.contract();
      default:
        throw new Error(`${phase} is not a forward phase`);
    }
  }

  /** Runs a host step for each host, at most `limit` at once, starting none once the rollout is not running. */
  async pool(hostIds: string[], limit: number, step: (hostId: string) => Promise<unknown>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < hostIds.length) {
        if (this.ctx.halted() || (await latest(this.ctx)).state !== 'running') return;
        // Another worker may have taken the last host while this one read the state.
        if (next >= hostIds.length) return;
        const hostId = hostIds[next++]!;
        await step(hostId);
      }
    };
    await allOrStop(this.ctx, Array.from({ length: Math.min(limit, hostIds.length) }, worker));
  }

  /**
   * Counts a failed host; at abortAfter the rollout turns to aborting, else `pause` pauses it now. A passing
   * failure (CloudStack's side, a run that never reached the worker) is not the host's: it pauses, uncounted.
   */
  async hostFailed(hostId: string, result: StepResult, what: string, pause: boolean): Promise<void> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (result.passing) {
        if (r.state !== 'running') return false;
        const why = `${what} did not finish on ${r.hosts[hostId]?.hostName ?? hostId}: ${result.reason ?? 'not verified'}`;
        Object.assign(r, { state: 'paused', reason: `${why}; CloudStack's side or the queue, not the host's failure (not counted for abortAfter); resume retries it, abort takes the rollout back` });
        return;
      }
      if (!r.failedHosts.includes(hostId)) r.failedHosts.push(hostId);
      if (r.state !== 'running' && r.state !== 'paused') return;
      const why = `${what} failed on ${r.hosts[hostId]?.hostName ?? hostId}: ${result.reason ?? 'not verified'}`;
      if (r.failedHosts.length >= r.abortAfter) {
        r.state = 'aborting';
        r.reason = `abortAfter (${r.abortAfter}) reached: ${hostNames(r, r.failedHosts)} failed; last: ${why}`;
      } else if (pause || result.stuckInMaintenance) {
        r.state = 'paused';
        r.reason = `${why}; resume retries it, abort takes the rollout back`;
      }
    });
  }

  private async expand(rollout: RelabelRollout): Promise<PhaseEnd> {
    const todo = this.ctx.plan.expand.filter((s) => rollout.hosts[s.hostId]!.layout !== 'both');
    const byHost = new Map(todo.map((s) => [s.hostId, s]));
    await this.pool([...byHost.keys()], this.ctx.options.concurrency, async (hostId) => {
      const result = await this.driver.plain(hostId, { purpose: 'expand', layout: 'both', restartAgent: byHost.get(hostId)!.restartAgent });
      if (result !== HALTED && !result.ok) await this.hostFailed(hostId, result, 'expand', false);
    });
    return this.endOfHostPhase('expand', 'freeze', (r) => this.ctx.plan.expand.filter((s) => r.hosts[s.hostId]!.layout !== 'both').map((s) => s.hostId), 'the flip needs every host expanded');
  }

  /**
   * updateHost Disable on in-scope linux hosts that are Enabled now; the rollout enables exactly those again.
   * Every host is read again on a resume: a frozen host whose Disable failed is disabled before the flip.
   */
  private async freeze(rollout: RelabelRollout): Promise<PhaseEnd> {
    for (const call of this.ctx.plan.freeze) {
      const hostId = call.params.id!;
      if (this.ctx.halted()) return HALTED;
      try {
        if (!(await this.allocation.freeze(hostId, 'running'))) return 'interrupted';
      } catch (error) {
        rethrowIfRunnerMustStop(error);
        return this.pauseFor(`freeze failed on ${rollout.hosts[hostId]?.hostName ?? hostId}: ${(error as Error).message}`);
      }
    }
    return this.advance('freeze', 'flip');
  }

  /** The one label flip: one updateTrafficType per change, each confirmed before the next (LabelFlip). */
  private async flip(): Promise<PhaseEnd> {
    for (const call of this.ctx.plan.flip) {
      if (this.ctx.halted()) return HALTED;
      try {
        if ((await this.labels.forward(call)) === 'not-running') return 'interrupted';
      } catch (error) {
        rethrowIfRunnerMustStop(error);
        return this.pauseFor(`label flip of traffic type ${call.params.id} failed: ${(error as Error).message}; resume sends it again (unless CloudStack shows the new label by then), abort flips back`);
      }
    }
    return this.advance('flip', 'switch');
  }

  /**
   * Linux hosts: agent.properties and an agent restart on the new label, then Enable what the freeze disabled.
   * A host whose switch verified and only its Enable is left (it failed, or a restart came between) gets
   * only the Enable again, never a second switch.
   */
  private async switchAgents(rollout: RelabelRollout): Promise<PhaseEnd> {
    const pending = (r: RelabelRollout) => this.ctx.plan.switch.filter((s) => !switchVerified(r, s.hostId) || r.frozen.includes(s.hostId)).map((s) => s.hostId);
    await this.pool(pending(rollout), this.ctx.options.concurrency, async (hostId) => {
      if (!switchVerified(await latest(this.ctx), hostId)) {
        const marked = await this.ctx.store.update(this.ctx.id, (r) => {
          if (r.state !== 'running') return false;
          if (!r.switched.includes(hostId)) r.switched.push(hostId);
        });
        if (marked.state !== 'running') return;
        const result = await this.driver.plain(hostId, { purpose: 'switch', layout: 'both', restartAgent: true });
        if (result === HALTED) return;
        if (!result.ok) return this.hostFailed(hostId, result, 'switch', false);
      }
      const enabled = await this.allocation.unfreeze(hostId);
      if (!enabled.ok) await this.hostFailed(hostId, enabled, 'switch (enable)', false);
    });
    return this.endOfHostPhase('switch', 'contract', pending, 'contract needs every linux agent on the new label');
  }

  /** Canary hosts one by one, then the waves; each wave's hosts at once (the plan bounds them per cluster). */
  private async contract(): Promise<PhaseEnd> {
    for (const wave of this.ctx.plan.waves) {
      const rollout = await latest(this.ctx);
      const todo = wave.steps.filter((s) => rollout.hosts[s.hostId]!.layout !== 'new');
      if (todo.length === 0) continue;
      const steps = new Map<string, HostStep>(todo.map((s) => [s.hostId, s]));
      await this.pool([...steps.keys()], steps.size, async (hostId) => {
        const result = await this.driver.maintained(hostId, { purpose: 'contract', layout: 'new', restartAgent: true }, steps.get(hostId));
        if (result !== HALTED && !result.ok) await this.hostFailed(hostId, result, wave.kind === 'canary' ? 'canary contract' : 'contract', wave.kind === 'canary');
      });
      if (this.ctx.halted()) return HALTED;
      if ((await latest(this.ctx)).state !== 'running') return 'interrupted';
    }
    const rollout = await latest(this.ctx);
    const left = Object.values(rollout.hosts).filter((h) => h.layout !== 'new').map((h) => h.hostId);
    if (left.length > 0) return this.pauseFor(`contract did not verify on ${hostNames(rollout, left)}; resume retries them, abort takes the rollout back`);
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== 'running') return false;
      Object.assign(r, { state: 'done', phase: 'finished', endedAt: nowIso() });
    });
    return 'next';
  }

  private async endOfHostPhase(phase: RolloutPhase, next: RolloutPhase, left: (r: RelabelRollout) => string[], why: string): Promise<PhaseEnd> {
    if (this.ctx.halted()) return HALTED;
    const rollout = await latest(this.ctx);
    if (rollout.state !== 'running') return 'interrupted';
    const missing = left(rollout);
    if (missing.length > 0) return this.pauseFor(`${phase} did not verify on ${hostNames(rollout, missing)} (${why}); resume retries them, abort takes the rollout back`);
    return this.advance(phase, next);
  }

  private async advance(from: RolloutPhase, to: RolloutPhase): Promise<PhaseEnd> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.phase !== from || r.state !== 'running') return false;
      r.phase = to;
    });
    this.ctx.log(`${from} done, next ${to}`);
    return 'next';
  }

  private async pauseFor(reason: string): Promise<PhaseEnd> {
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== 'running') return false;
      Object.assign(r, { state: 'paused', reason });
    });
    this.ctx.log(`paused: ${reason}`);
    return 'interrupted';
  }
}

/** The host's latest switch verified and nothing runs on it since. */
function switchVerified(rollout: RelabelRollout, hostId: string): boolean {
  const host = rollout.hosts[hostId]!;
  const last = [...host.steps].reverse().find((s) => s.purpose === 'switch');
  return !host.current && last?.result === 'verified';
}
