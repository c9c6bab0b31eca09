import { Inject, Injectable } from '@nestjs/common';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { planRelabel, RelabelValidationError, type RelabelPlan } from '@hostnet/relabel';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { unappliedChanges } from './unapplied-change';
import { assertNoneLeftBehind, stillLeftBehind, type LeftBehind } from './left-behind.check';
import { assertExpandableHosts } from './supported-backends.check';
import { assertRelabelDerivable } from './relabel-layouts.check';
import { assertNoneFailing } from './failing-hosts.check';
import { hostFactsFromIntents } from './relabel-host-facts';
import { assertInScopeIntentsBuild } from './invalid-intents.check';
import { newRollout } from './rollout-record.factory';
import { RelabelHolds } from './relabel-holds';
import type { RelabelRequestBody } from './relabel-request.schema';
import { ROLLOUTS_READ, RolloutNotFoundError, type RelabelRolloutStore } from './relabel-rollout.store';
import { ACTIVE_STATES, type RelabelRollout, type RelabelRequest, type RolloutCallRecord } from './relabel-rollout.types';
import { rolloutProgress, type RolloutProgress } from './rollout-progress';
import { stalePlanned } from './stale-plan';
import { RelabelRunnerService, RELABEL_STORE, RELABEL_ZONE_LOCK } from './relabel-runner.service';
import type { RelabelZoneLock } from './relabel-zone-lock';
import { applyAction, giveUpHost, RolloutConflictError, type RolloutAction } from './rollout-transitions';

/** Longer than a start takes (a fresh zone read and plan); a start that died holding its claim frees it after this. */
const START_CLAIM_MS = 120_000;

/** GET /relabels/:id: the record, its plan, every CloudStack call made so far and the progress per wave and host. */
export interface RolloutView extends RelabelRollout {
  plan: RelabelPlan;
  calls: RolloutCallRecord[];
  progress: RolloutProgress;
  /** A planned rollout whose premise the zone no longer holds: why, and the fix (stale-plan.ts). */
  stale?: string;
}

/** GET /relabels: a record with its overall counts (the waves need the plan: GET /relabels/:id). */
export interface RolloutSummary extends RelabelRollout {
  progress: RolloutProgress;
  stale?: string;
}

/**
 * Plans rollouts from the live topology (read-only: nothing changes until start), keeps them in Redis and
 * applies the operator's start/pause/resume/abort; the runners do the work.
 */
@Injectable()
export class RelabelsService {
  constructor(
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    @Inject(RELABEL_STORE) private readonly store: RelabelRolloutStore,
    private readonly runners: RelabelRunnerService,
    private readonly holds: RelabelHolds,
    @Inject(RELABEL_ZONE_LOCK) private readonly zoneLock: RelabelZoneLock,
    private readonly statuses: HostStatusRepository,
  ) {}

  /** Plans (throws RelabelValidationError naming each bad field) and stores the rollout as `planned`. */
  async plan(body: RelabelRequestBody): Promise<RolloutView> {
    const request: RelabelRequest = strip(body);
    const { topology, plan } = await this.planFresh(request);
    const rollout = newRollout(plan, topology, request);
    await this.store.create(rollout, plan);
    // the zone was just read for the plan
    return this.view(rollout.id, { freshZone: false });
  }

  async list(): Promise<RolloutSummary[]> {
    const rollouts = await this.store.list();
    const stale = await Promise.all(rollouts.map((r) => this.staleness(r)));
    return rollouts.map((rollout, i) => ({ ...rollout, progress: rolloutProgress(rollout), ...(stale[i] ? { stale: stale[i] } : {}) }));
  }

  /** One rollout; a planned one's staleness from the zone read anew unless `freshZone` is false. */
  async view(id: string, { freshZone = true }: { freshZone?: boolean } = {}): Promise<RolloutView> {
    const [rollout, plan, calls] = await Promise.all([this.store.get(id), this.store.plan(id), this.store.calls(id)]);
    const stale = await this.staleness(rollout, freshZone);
    return { ...rollout, plan, calls, progress: rolloutProgress(rollout, plan), ...(stale ? { stale } : {}) };
  }

  /**
   * A planned rollout's staleness (a read that fails only loses the hint; start re-plans anyway): for one
   * rollout from the zone read anew, for the list from the zone as cached (at most 15 s old); then its hosts as
   * hostnet last saw them (one failed since planning makes start refuse the plan just the same).
   */
  private async staleness(rollout: RelabelRollout, fresh = false): Promise<string | undefined> {
    if (rollout.state !== 'planned') return undefined;
    try {
      const labels = stalePlanned(rollout, await this.topologies.get(rollout.zoneId, { fresh }));
      if (labels) return labels;
      const hosts = Object.values(rollout.hosts);
      const briefs = await this.statuses.briefMany(hosts.map((h) => h.hostId));
      assertNoneFailing(hosts, new Map(hosts.map((h, i) => [h.hostId, briefs[i]])));
      return undefined;
    } catch (error) {
      if (!(error instanceof RelabelValidationError)) return undefined;
      return `a host of rollout ${rollout.id} ran badly since it was planned, and start will refuse it: ${error.message.replace(/\n\s*/g, ' ')}`;
    }
  }

  /**
   * start takes the zone (one active rollout per zone, a 409 naming the other), refuses a plan the zone no
   * longer matches (same request, other plan hash: plan again), holds the hosts in scope, then the runner
   * takes over. The write that ends the rollout releases hosts and zone.
   */
  /** give-up: the rollback leaves one host as it is and goes on (aborting only); its hold goes at once. */
  async giveUp(id: string, host: string, by = 'operator', why?: string): Promise<RolloutView> {
    let hostId = '';
    await this.store.update(id, (r) => void (hostId = giveUpHost(r, host, by, why)));
    await this.holds.release(id, [hostId]);
    this.runners.kick(id);
    return this.view(id);
  }

  async control(id: string, action: RolloutAction, by = 'operator', why?: string): Promise<RolloutView> {
    const rollout = await this.store.get(id);
    if (action === 'start') await this.start(rollout, by);
    else await this.store.update(id, (r) => applyAction(r, action, by, why));
    this.runners.kick(id);
    return this.view(id);
  }

  private async start(rollout: RelabelRollout, by: string): Promise<void> {
    if (rollout.state !== 'planned') return void applyAction(rollout, 'start', by); // throws the conflict
    // A second start running beside this one would pass the zone lock (it names this rollout) and, failing
    // on the state the first one wrote, release the running rollout's holds and zone in its catch.
    const claim = await this.store.claimStart(rollout.id, START_CLAIM_MS);
    if (!claim) throw new RolloutConflictError(`rollout ${rollout.id} is being started by another request; see GET /relabels/${rollout.id}`);
    try {
      // read again under the claim: a start that ended just before it found the rollout planned too
      const current = await this.store.get(rollout.id);
      if (current.state !== 'planned') return void applyAction(current, 'start', by);
      await this.startClaimed(current, by);
    } finally {
      await this.store.endStart(rollout.id, claim);
    }
  }

  private async startClaimed(rollout: RelabelRollout, by: string): Promise<void> {
    const holder = await this.zoneLock.acquire(rollout.zoneId, rollout.id, (other) => this.store.ended(other));
    if (holder) throw new RolloutConflictError(`zone ${rollout.zoneName} already has an active rollout, ${holder}; finish or abort it first (GET /relabels/${holder})`);
    try {
      await this.checkStartable(rollout);
      await this.holds.hold(rollout.id, Object.keys(rollout.hosts));
      await this.store.update(rollout.id, (r) => applyAction(r, 'start', by));
    } catch (error) {
      await this.holds.release(rollout.id, Object.keys(rollout.hosts));
      await this.zoneLock.release(rollout.zoneId, rollout.id);
      throw error;
    }
  }

  private async checkStartable(rollout: RelabelRollout): Promise<void> {
    // Rollouts started before the zone lock existed hold no key: still one per zone.
    const rollouts = await this.store.list(ROLLOUTS_READ);
    const others = rollouts.filter((r) => r.id !== rollout.id && r.zoneId === rollout.zoneId && ACTIVE_STATES.has(r.state));
    if (others.length > 0) throw new RolloutConflictError(`zone ${rollout.zoneName} already has an active rollout, ${others[0]!.id} (${others[0]!.state}); finish or abort it first`);
    // the labels it changes first: "already cloudbr5" says more than the planner's refusal of the same request
    const stale = stalePlanned(rollout, await this.topologies.get(rollout.zoneId, { fresh: true }));
    if (stale) throw new RolloutConflictError(stale);
    let plan: RelabelPlan;
    try {
      ({ plan } = await this.planFresh(rollout.request, rollouts));
    } catch (error) {
      // The same request no longer plans (its label is already the zone's, a host left): the plan is stale, not the request wrong.
      if (!(error instanceof RelabelValidationError)) throw error;
      throw new RolloutConflictError(`the zone or its hosts changed since rollout ${rollout.id} was planned, and its request no longer plans: ${error.message}; abort it (hostnet relabel abort --id ${rollout.id}, or POST /relabels/${rollout.id}/abort) and plan again if anything is left to change`);
    }
    if (plan.planHash !== rollout.planHash) {
      throw new RolloutConflictError(`the zone changed since rollout ${rollout.id} was planned (plan hash ${rollout.planHash.slice(0, 12)}…, now ${plan.planHash.slice(0, 12)}…); plan again with POST /relabels`);
    }
  }

  /** `rollouts`: the store's recent rollouts when the caller has read them already (start does). */
  private async planFresh(request: RelabelRequest, rollouts?: RelabelRollout[]): Promise<{ topology: ZoneNetworkTopology; plan: RelabelPlan }> {
    const topology = await this.topologies.get(request.zone, { fresh: true });
    const recent = rollouts ?? (await this.store.list(ROLLOUTS_READ));
    const input = {
      topology,
      changes: request.changes,
      ...(request.scope ? { scope: request.scope } : {}),
      ...(request.outOfScope ? { outOfScope: request.outOfScope } : {}),
      ...(request.drifted ? { drifted: request.drifted } : {}),
      ...(request.strategy ? { strategy: request.strategy } : {}),
      ...(request.publicVlans ? { publicVlans: request.publicVlans } : {}),
      hostFacts: hostFactsFromIntents(topology, this.specs),
    };
    let plan = planRelabel(input);
    const inScope = plan.expand.map((s) => s.hostId);
    const histories = new Map(await Promise.all(inScope.map(async (id) => [id, await this.statuses.history(id)] as const)));
    const leftBehind = await this.leftBehind(topology.zone.id, recent);
    const behind = inScope.filter((id) => leftBehind.some((l) => l.hostIds.includes(id)));
    // The scope is the planner's to resolve: what hosts in it hold beyond the relabel is known after a first plan.
    // A host an earlier rollout left behind differs by that rollout's labels: assertNoneLeftBehind names it, with its own fix.
    const drifted = unappliedChanges(inScope.filter((id) => !behind.includes(id)), histories, topology, this.specs, recent);
    if (drifted.size > 0) {
      const hostFacts = { ...input.hostFacts };
      for (const [id, { what }] of drifted) hostFacts[id] = { ...hostFacts[id], drift: what };
      plan = planRelabel({ ...input, hostFacts });
    }
    assertInScopeIntentsBuild(plan, topology, this.specs);
    assertExpandableHosts(plan, linuxTargets(plan, histories));
    assertRelabelDerivable(plan, topology, this.specs);
    const briefs = await this.statuses.briefMany(inScope);
    assertNoneFailing(plan.expand, new Map(inScope.map((id, i) => [id, briefs[i]])));
    if (behind.length > 0) assertNoneLeftBehind(plan, leftBehind, histories, (id) => this.currentSpecHash(topology, id));
    return { topology, plan };
  }

  private currentSpecHash(topology: ZoneNetworkTopology, hostId: string): string | undefined {
    try {
      return this.specs.specFor(topology, hostId).specHash;
    } catch {
      return undefined; // no valid intent: nothing proves the host converged
    }
  }

  /**
   * Hosts the zone's done rollouts (of the last ROLLOUTS_READ of every zone) left behind, from their plans'
   * out-of-scope warnings, less those a done rollout started after it moved (in its plan's expand).
   */
  private async leftBehind(zoneId: string, rollouts: readonly RelabelRollout[]): Promise<LeftBehind[]> {
    const done = rollouts.filter((r) => r.zoneId === zoneId && r.state === 'done');
    const leaving = done.filter((r) => r.request.outOfScope === 'leave-behind');
    if (leaving.length === 0) return [];
    // only rollouts started since the first of them ended can have moved a host it left behind
    const since = Math.min(...leaving.map((r) => (r.endedAt ? Date.parse(r.endedAt) : 0)));
    const relevant = done.filter((r) => r.request.outOfScope === 'leave-behind' || (r.startedAt !== undefined && Date.parse(r.startedAt) >= since));
    const plans = new Map(await Promise.all(relevant.map(async (r) => [r.id, await this.store.plan(r.id)] as const)));
    const behind = leaving.map((r) => ({
      rolloutId: r.id,
      hostIds: plans.get(r.id)!.warnings.filter((w) => w.code === 'out-of-scope-hosts').flatMap((w) => w.hostIds ?? []),
      ...(r.endedAt ? { endedAt: r.endedAt } : {}),
    }));
    const finished = relevant.map((r) => ({ rolloutId: r.id, ...(r.startedAt ? { startedAt: r.startedAt } : {}), expanded: plans.get(r.id)!.expand.map((s) => s.hostId) }));
    return stillLeftBehind(behind, finished);
  }

}

export { RolloutNotFoundError, RolloutConflictError };

/** The target each Linux host's latest hostnet run detected (OVS hosts need none). */
function linuxTargets(plan: RelabelPlan, histories: ReadonlyMap<string, readonly HostStatusRecord[]>): Record<string, string | undefined> {
  const linux = plan.expand.filter((s) => s.backend !== 'ovs').map((s) => s.hostId);
  return Object.fromEntries(linux.map((id) => [id, histories.get(id)?.find((r) => r.outcome?.target !== undefined)?.outcome?.target]));
}

function strip(body: RelabelRequestBody): RelabelRequest {
  return {
    zone: body.zone,
    changes: body.changes,
    ...(body.scope ? { scope: body.scope } : {}),
    ...(body.outOfScope ? { outOfScope: body.outOfScope } : {}),
    ...(body.drifted ? { drifted: body.drifted } : {}),
    ...(body.strategy ? { strategy: body.strategy } : {}),
    ...(body.publicVlans ? { publicVlans: body.publicVlans } : {}),
    ...(body.requestedBy ? { requestedBy: body.requestedBy } : {}),
  };
}
