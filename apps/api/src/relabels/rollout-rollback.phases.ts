import type { RelabelRollout, RolloutHost, RolloutPhase } from './relabel-rollout.types';
import { allOrStop, HALTED, hostNames, latest, nowIso, type RolloutContext } from './rollout-context';
import type { PhaseEnd } from './rollout-forward.phases';
import { latestStepVerified, type HostAllocation } from './rollout-host-allocation';
import type { HostStepDriver, StepResult } from './rollout-host-step.driver';
import { LabelFlip } from './rollout-label-flip';
import { givenUpReason, isGivenUp, markGivenUp } from './rollout-given-up';

const NEXT: Partial<Record<RolloutPhase, RolloutPhase>> = {
  'rollback-contract': 'rollback-flip',
  'rollback-flip': 'rollback-switch',
  'rollback-switch': 'rollback-expand',
  'rollback-expand': 'rollback-unfreeze',
  'rollback-unfreeze': 'finished',
};

/**
 * The two-sided rollback, in reverse order of safety (docs/relabel.md): contracted hosts back to both
 * bridges (newest first, in maintenance per strategy), the label flipped back under a freeze of the
 * switched linux hosts, their agents switched back, the new bridge removed everywhere, the freeze lifted.
 * A host whose rollback step fails is left as its own journal left it and named in the final reason; the
 * rollback goes on, except that the label never flips back while a host may lack the old bridge.
 */
export class RollbackPhases {
  private readonly labels: LabelFlip;

  constructor(
    private readonly ctx: RolloutContext,
    private readonly driver: HostStepDriver,
    private readonly allocation: HostAllocation,
  ) {
    this.labels = new LabelFlip(ctx);
  }

  async run(phase: RolloutPhase, rollout: RelabelRollout): Promise<PhaseEnd> {
    switch (phase) {
      case 'rollback-contract':
        return this.restoreBoth(rollout);
      case 'rollback-flip':
        return this.flipBack(rollout);
      case 'rollback-switch':
        return this.switchBack(rollout);
      case 'rollback-expand':
        return this.restoreOld(rollout);
      case 'rollback-unfreeze':
        return this.unfreezeAll(rollout);
      default:
        throw new Error(`${phase} is not a rollback phase`);
    }
  }

  /** Contracted hosts (and any whose contract did not verify) back to both bridges, newest first, one at a time. */
  private async restoreBoth(rollout: RelabelRollout): Promise<PhaseEnd> {
    const touched = Object.values(rollout.hosts)
      .filter((h) => !isGivenUp(rollout, h.hostId))
      .filter((h) => h.layout === 'new' || h.unverified === 'new' || h.current?.layout === 'new' || h.current?.purpose === 'restore-both')
      .sort((a, b) => lastEnd(b).localeCompare(lastEnd(a)));
    const planned = new Map(this.ctx.plan.waves.flatMap((w) => w.steps).map((s) => [s.hostId, s]));
    for (const host of touched) {
      const result = await this.driver.maintained(host.hostId, { purpose: 'restore-both', layout: 'both', restartAgent: true }, planned.get(host.hostId));
      if (result === HALTED) return HALTED;
      if (!result.ok) await this.failed(host.hostId, 'restore to both bridges', result);
    }
    await this.unfinished('restore-both', 'restore to both bridges');
    return this.advance('rollback-contract');
  }

  /** Freezes the switched linux hosts again, then flips each flipped label back (rollbackFlip). */
  private async flipBack(rollout: RelabelRollout): Promise<PhaseEnd> {
    const lacking = await this.withoutGone(Object.values(rollout.hosts).filter((h) => h.layout === 'new' && !isGivenUp(rollout, h.hostId)));
    if (lacking.length > 0 && rollout.flipped.length > 0) {
      // A host with only the new bridge would fail CheckNetworkCommand on the old label: keep the label and take
      // those hosts back to both again (nothing else can: the rollout holds them), a while after each failed try,
      // until a pass leaves none. In between the runner stops, saying why; the supervisor starts the next.
      const names = hostNames(rollout, lacking.map((h) => h.hostId));
      const due = lacking.some((h) => {
        const last = lastRestoreBoth(h);
        return !last || Date.now() - Date.parse(last.endedAt ?? '') >= this.ctx.options.restoreRetryMs;
      });
      if (!due) {
        const why = lacking.map((h) => `${h.hostName}: ${lastRestoreBoth(h)?.reason ?? 'not verified'}`).join('; ');
        throw new Error(`label not flipped back: ${names} still have only the new bridge (restore to both failed: ${why}); tried again ${this.ctx.options.restoreRetryMs / 1000} s after each try`);
      }
      this.ctx.log(`label not flipped back: ${names} still have only the new bridge; restoring both bridges again`);
      await this.ctx.store.update(this.ctx.id, (r) => {
        if (r.phase !== 'rollback-flip' || r.state !== 'aborting') return false;
        r.phase = 'rollback-contract';
      });
      return 'next';
    }
    if (rollout.flipped.length > 0) {
      // Throws when a Disable fails: the label must not flip back onto an unfrozen switched host; a later runner retries.
      for (const hostId of rollout.switched) if (!(await this.allocation.freeze(hostId, 'aborting'))) return 'interrupted';
    }
    // Every flip that may have reached CloudStack, confirmed or not: sending the old label again is harmless,
    // leaving a flip CloudStack took (or an async job of it that still ends) is not.
    for (const call of this.ctx.plan.rollbackFlip) {
      const trafficTypeId = call.params.id!;
      if (!(await latest(this.ctx)).flipped.includes(trafficTypeId)) continue;
      if (this.ctx.halted()) return HALTED;
      // Each throws on failure: the runner records why and a later runner tries again; nothing after this may run first.
      await this.labels.awaitForwardJob(trafficTypeId);
      const oldLabel = call.params.kvmnetworklabel ?? '';
      await this.ctx.cloudstack.updateTrafficTypeLabel(trafficTypeId, oldLabel);
      await this.labels.assertShows(trafficTypeId, oldLabel, 'after the flip back');
      await this.labels.flippedBack(trafficTypeId);
    }
    return this.advance('rollback-flip');
  }

  /** Switched linux hosts: agent.properties and the agent back on the old label, then Enable again. */
  private async switchBack(rollout: RelabelRollout): Promise<PhaseEnd> {
    for (const hostId of rollout.switched) {
      const result = await this.driver.plain(hostId, { purpose: 'switch-back', layout: 'both', restartAgent: true });
      if (result === HALTED) return HALTED;
      if (!result.ok) {
        await this.failed(hostId, 'switch back', result);
        continue;
      }
      await this.ctx.store.update(this.ctx.id, (r) => void (r.switched = r.switched.filter((id) => id !== hostId)));
      const enabled = await this.allocation.unfreeze(hostId);
      if (!enabled.ok) await this.failed(hostId, 'enable after switch back', enabled);
    }
    return this.advance('rollback-switch');
  }

  /**
   * Every host that got (or may have got) the new bridge back to the old layout only. Once a label was
   * flipped, VMs that started or migrated meanwhile (the contract's and restore-both's evacuations) are
   * plugged into the new bridge, which this step deletes: each host is then evacuated first, in the plan's
   * waves (maxUnavailable per cluster), so its VMs move to peers with the label flipped back and re-plug on
   * the old bridge. With maintenance `never` nothing can move them: those hosts keep both bridges and are named.
   */
  private async restoreOld(rollout: RelabelRollout): Promise<PhaseEnd> {
    if (rollout.everFlipped) await this.assertLabelsOld();
    const restartOf = new Map(this.ctx.plan.expand.map((s) => [s.hostId, s.restartAgent]));
    const todo = Object.values(rollout.hosts).filter((h) => !isGivenUp(rollout, h.hostId) && (h.layout !== 'old' || h.unverified !== undefined || h.current !== undefined)).map((h) => h.hostId);
    const request = (hostId: string) => ({ purpose: 'restore-old' as const, layout: 'old' as const, restartAgent: restartOf.get(hostId) ?? false });
    if (!rollout.everFlipped) {
      await this.plainPool(todo, (hostId) => this.driver.plain(hostId, request(hostId)));
    } else if (this.ctx.plan.strategy.maintenance === 'never') {
      for (const hostId of todo) {
        await this.failed(hostId, 'restore to the old layout', { ok: false, reason: "kept both bridges: VMs started or moved since the flip may use the new one and maintenance 'never' cannot move them; migrate them off, then run the host again" });
      }
    } else {
      const left = new Set(todo);
      for (const wave of this.ctx.plan.waves) {
        const hosts = wave.steps.filter((s) => left.has(s.hostId));
        await allOrStop(this.ctx, hosts.map(async (s) => {
          left.delete(s.hostId);
          const result = await this.driver.maintained(s.hostId, request(s.hostId), s);
          if (result !== HALTED && !result.ok) await this.failed(s.hostId, 'restore to the old layout', result);
        }));
        if (this.ctx.halted()) return HALTED;
      }
      // in no wave (out of the contract's scope): one at a time
      for (const hostId of left) {
        const result = await this.driver.maintained(hostId, request(hostId), undefined);
        if (result === HALTED) return HALTED;
        if (!result.ok) await this.failed(hostId, 'restore to the old layout', result);
      }
    }
    if (this.ctx.halted()) return HALTED;
    await this.unfinished('restore-old', 'restore to the old layout');
    return this.advance('rollback-expand');
  }

  /**
   * The new bridge goes only once no label shows the new one (a forward job that ended late, a flip back CloudStack
   * lost): else the phase goes back to the flip back, and this runner stops so the next one sends it again.
   */
  private async assertLabelsOld(): Promise<void> {
    const stillNew = await this.labels.showingNew();
    if (stillNew.length === 0) return;
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== 'aborting' || r.phase !== 'rollback-expand') return false;
      r.flipped = [...new Set([...r.flipped, ...stillNew])];
      r.phase = 'rollback-flip';
    });
    throw new Error(`new bridge not removed: CloudStack shows the new label on traffic type ${stillNew.join(', ')} again; back to the flip back, the next runner sends it again`);
  }

  private async plainPool(hostIds: string[], step: (hostId: string) => Promise<StepResult | typeof HALTED>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < hostIds.length && !this.ctx.halted()) {
        const hostId = hostIds[next++]!;
        const result = await step(hostId);
        if (result !== HALTED && !result.ok) await this.failed(hostId, 'restore to the old layout', result);
      }
    };
    await allOrStop(this.ctx, Array.from({ length: Math.min(this.ctx.options.concurrency, hostIds.length) }, worker));
  }

  /**
   * Lifts the freeze, and the maintenance a failed step left, only on hosts whose latest step verified;
   * any other host stays Disabled (or in maintenance) and is named: never back in service on an unverified layout.
   */
  private async unfreezeAll(rollout: RelabelRollout): Promise<PhaseEnd> {
    for (const host of Object.values(rollout.hosts).filter((h) => !isGivenUp(rollout, h.hostId) && (rollout.frozen.includes(h.hostId) || h.leftInMaintenance))) {
      if (!latestStepVerified(host)) {
        await this.failed(host.hostId, 'lifting freeze and maintenance', { ok: false, reason: 'its latest step did not verify: left out of service' });
        continue;
      }
      const out = host.leftInMaintenance ? await this.allocation.leaveMaintenance(host.hostId) : { ok: true };
      const result = out.ok ? await this.allocation.unfreeze(host.hostId) : out;
      if (!result.ok) await this.failed(host.hostId, 'lifting freeze and maintenance', result);
    }
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.state !== 'aborting') return false;
      const unreached = r.rollbackFailures.filter((id) => neverReached(r.hosts[id]));
      const incomplete = r.rollbackFailures.filter((id) => !unreached.includes(id));
      const left = incomplete.length > 0 ? `; rollback incomplete on ${hostNames(r, incomplete)} (see their steps)` : '';
      const out = unreached.filter((id) => r.frozen.includes(id) || r.hosts[id]?.leftInMaintenance);
      const never = unreached.length > 0
        ? `; ${hostNames(r, unreached)} unreachable, never changed (no step of it reached the host; its layout is old, as before)${out.length > 0 ? `, ${hostNames(r, out)} left out of service until a run of it verifies` : ''}`
        : '';
      Object.assign(r, { state: 'aborted', phase: 'finished', endedAt: nowIso(), reason: `${r.reason ?? 'aborted'}${left}${never}${givenUpReason(r)}` });
    });
    return 'next';
  }

  /**
   * Of `hosts`, those CloudStack still lists: one it no longer lists (or lists Removed) lacks no bridge anyone
   * uses; it is given up (recorded, left as it is) instead of holding the flip back forever. A failed read proves nothing.
   */
  private async withoutGone(hosts: RolloutHost[]): Promise<RolloutHost[]> {
    const kept: RolloutHost[] = [];
    for (const host of hosts) {
      const listed = await this.ctx.cloudstack.host(host.hostId);
      if (listed && listed.state !== 'Removed') {
        kept.push(host);
        continue;
      }
      this.ctx.log(`rollback: ${host.hostName} is no longer in CloudStack (${listed?.state ?? 'not listed'}): given up, left as it is`);
      await this.ctx.store.update(this.ctx.id, (r) => markGivenUp(r, host.hostId, 'hostnet', `CloudStack ${listed ? 'lists it Removed' : 'no longer lists it'}`));
    }
    return kept;
  }

  /**
   * A step the driver could not end (the run verified but cancelHostMaintenance failed) is still the host's
   * current one: the phase must not move on with that host in maintenance. Thrown, so the next runner drives
   * the same step again from where it stood (the cancel), as after any error.
   */
  private async unfinished(purpose: 'restore-both' | 'restore-old', what: string): Promise<void> {
    const rollout = await latest(this.ctx);
    const open = Object.values(rollout.hosts).filter((h) => h.current?.purpose === purpose).map((h) => h.hostId);
    if (open.length > 0) throw new Error(`${what} not finished on ${hostNames(rollout, open)} (still in maintenance); the next runner takes it up again`);
  }

  private async failed(hostId: string, what: string, result: StepResult): Promise<void> {
    this.ctx.log(`rollback: ${what} failed on ${hostId}: ${result.reason ?? 'not verified'}`);
    await this.ctx.store.update(this.ctx.id, (r) => void (r.rollbackFailures.includes(hostId) || r.rollbackFailures.push(hostId)));
  }

  private async advance(from: RolloutPhase): Promise<PhaseEnd> {
    if (this.ctx.halted()) return HALTED;
    await this.ctx.store.update(this.ctx.id, (r) => {
      if (r.phase !== from || r.state !== 'aborting') return false;
      r.phase = NEXT[from]!;
    });
    return 'next';
  }
}

/** The host's latest finished restore to both bridges, if any. */
function lastRestoreBoth(host: RolloutHost): RolloutHost['steps'][number] | undefined {
  return [...host.steps].reverse().find((s) => s.purpose === 'restore-both');
}

function lastEnd(host: RolloutHost): string {
  return host.steps[host.steps.length - 1]?.endedAt ?? host.current?.startedAt ?? '';
}

/** The worker's reason for a run that could not open its SSH connection (failureReason: `<error name>: <message>`). */
const NOT_CONNECTED = /^(SshUnreachableError|SshConnectTimeoutError): /;

/**
 * A host the rollout never reached: still on the old layout it had, no step of it verified, and every step
 * that ran (one at least) failed to open its connection; a step whose run never started changed nothing either. Its failed rollback
 * steps are not a rollback left incomplete: there was nothing to undo.
 */
function neverReached(host: RolloutHost | undefined): boolean {
  if (!host || host.layout !== 'old' || host.current !== undefined) return false;
  if (host.steps.some((s) => s.result === 'verified')) return false;
  const ran = host.steps.filter((s) => s.runId !== undefined);
  return ran.length > 0 && ran.every((s) => NOT_CONNECTED.test(s.reason ?? ''));
}
