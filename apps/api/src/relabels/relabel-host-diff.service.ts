import { Inject, Injectable } from '@nestjs/common';
import { namedAs } from '@hostnet/contracts';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { IntentValidationError } from '@hostnet/intent';
import { isRenderTargetId, RENDER_TARGETS, type RenderTargetId } from '@hostnet/render';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { RelabelPlan } from '@hostnet/relabel';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { relabelHostDiff, UNAPPLIED_BASIS, type PhaseFileDiff, type RelabelHostDiff } from './relabel-host-diff';
import { unappliedChanges } from './unapplied-change';
import { ROLLOUTS_READ, RolloutNotFoundError, type RelabelRolloutStore } from './relabel-rollout.store';
import type { RelabelRollout } from './relabel-rollout.types';
import { RELABEL_STORE } from './relabel-runner.service';
import { RolloutConflictError } from './rollout-transitions';
import { movedPast, stalePlanned } from './stale-plan';

/** A `target` the caller named that is not a render target, or not one of the host's backend. */
export class DiffTargetError extends Error {
  override readonly name = 'DiffTargetError';
}

/**
 * GET /relabels/:id/hosts/:host/diff: one host's files and commands per phase of a rollout, rendered on
 * request (a plan of 1,203 hosts stays small and fast; a host's diffs take milliseconds). Read-only.
 */
@Injectable()
export class RelabelHostDiffService {
  constructor(
    @Inject(RELABEL_STORE) private readonly store: RelabelRolloutStore,
    private readonly topologies: TopologyCache,
    private readonly specs: HostSpecService,
    private readonly statuses: HostStatusRepository,
  ) {}

  /** `host`: id or name of a host in the rollout; `target`: render for it instead of the one the host's latest run detected. */
  async diff(rolloutId: string, host: string, target?: string): Promise<RelabelHostDiff> {
    const [rollout, plan] = await Promise.all([this.store.get(rolloutId), this.store.plan(rolloutId)]);
    const hosts = Object.entries(rollout.hosts);
    const entry = hosts.find(([id]) => id === host) ?? namedAs(hosts, host, ([, h]) => h.hostName)[0];
    if (!entry) throw new RolloutNotFoundError(notInRollout(host, await this.zoneHostId(rollout.zoneId, host), rollout, plan.warnings));
    const [hostId, h] = entry;
    // a planned rollout's premise is checked on the zone read anew; a started one's diffs share the cached zone
    const topology = await this.topologies.get(rollout.zoneId, { fresh: rollout.state === 'planned' });
    // A planned rollout whose label is already current would show an expand to a bridge the host already has.
    const stale = stalePlanned(rollout, topology) ?? movedPast(rollout, topology);
    if (stale) throw new RolloutConflictError(stale);
    const { intent } = this.specs.specFor(topology, hostId);
    const history = await this.statuses.history(hostId);
    const chosen = target !== undefined ? { target: requestedTarget(target, intent.backend), targetSource: 'requested' as const } : detected(history, h.hostName, intent.backend);
    const unapplied = await this.unapplied(rollout, plan, hostId, history, topology);
    try {
      return { ...relabelHostDiff({ rolloutId, changes: rollout.changes, plan, hostId, intent, ...chosen }), ...unapplied };
    } catch (error) {
      if (!(error instanceof IntentValidationError)) throw error;
      throw new RolloutConflictError(`rollout ${rolloutId}: host ${h.hostName}'s steps cannot be rendered from the zone and profiles as they are now: ${error.message}`);
    }
  }

  /** The zone's host of that id or name, to tell a left-behind host from a stranger; a zone read that fails only loses that. */
  private async zoneHostId(zoneId: string, host: string): Promise<string | undefined> {
    try {
      const { hosts } = await this.topologies.get(zoneId);
      return (hosts.find((h) => h.id === host) ?? namedAs(hosts, host, (h) => h.name)[0])?.id;
    } catch {
      return undefined;
    }
  }

  /**
   * What the host holds beyond the relabel that its expand applies too: read anew while the rollout is planned
   * (a start re-plans and refuses a change since), the plan's warning once it started (its own steps are the
   * host's newest records then).
   */
  private async unapplied(rollout: RelabelRollout, plan: RelabelPlan, hostId: string, history: HostStatusRecord[], topology: ZoneNetworkTopology): Promise<Partial<Pick<RelabelHostDiff, 'basis' | 'unapplied'>>> {
    if (rollout.state !== 'planned') {
      const warning = plan.warnings.find((w) => w.code === 'drifted-hosts' && w.hostIds?.includes(hostId));
      return warning ? { basis: UNAPPLIED_BASIS, unapplied: { change: warning.message, files: [], live: [] } } : {};
    }
    const change = unappliedChanges([hostId], new Map([[hostId, history]]), topology, this.specs, await this.store.list(ROLLOUTS_READ)).get(hostId);
    if (!change) return {};
    const diff = change.dryRun?.outcome?.diff;
    const files = (diff?.files ?? []).filter((f) => f.change !== 'same').map((f) => ({ path: f.path, change: f.change as PhaseFileDiff['change'], unified: f.unified ?? '' }));
    return { basis: UNAPPLIED_BASIS, unapplied: { change: change.what, files, live: diff?.live ?? [] } };
  }
}

function detected(history: readonly HostStatusRecord[], hostName: string, backend: string): { target: RenderTargetId; targetSource: 'detected' } {
  const target = history.find((r) => r.outcome?.target !== undefined)?.outcome?.target;
  if (target === undefined || !isRenderTargetId(target)) {
    throw new RolloutConflictError(
      `host ${hostName} has no hostnet run that detected its OS, so its files cannot be rendered yet; fix: add ?target=<one of ${targetsOf(backend).join(', ')}>, or configure the host with hostnet first`,
    );
  }
  return { target, targetSource: 'detected' };
}

/**
 * A host not among the rollout's steps: one the plan left behind (outside its scope) is named as such, with
 * what moves it given where the rollout stands. Not "relabel its cluster in a rollout of its own": once the
 * rollout flipped the label, that plan is refused (the label is already the new one); the host's own spec
 * names the new bridge by then, so a plain run of it is the fix.
 */
function notInRollout(host: string, hostId: string | undefined, rollout: Pick<RelabelRollout, 'id' | 'state' | 'changes'>, warnings: readonly { code: string; message: string; hostIds?: readonly string[] }[]): string {
  const behind = hostId === undefined ? undefined : warnings.find((w) => w.code === 'out-of-scope-hosts' && w.hostIds?.includes(hostId));
  const rolloutId = rollout.id;
  if (behind) return `host ${JSON.stringify(host)} is outside rollout ${rolloutId}'s scope, left behind on purpose, so the rollout changes nothing on it (the plan's warning: ${behind.message}); fix: ${leftBehindFix(host, hostId!, rollout)}`;
  return `host ${JSON.stringify(host)} is not in rollout ${rolloutId}; use a host id or name from GET /relabels/${rolloutId}`;
}

function leftBehindFix(host: string, hostId: string, rollout: Pick<RelabelRollout, 'state' | 'changes'>): string {
  const labels = rollout.changes.map((c) => c.newLabel).join(', ');
  const run = `put it in maintenance in CloudStack if VMs run on it (a run never takes the uplink from under their taps), then run it: hostnet configure --host ${host} (POST /hosts/${hostId}/configure)`;
  if (rollout.state === 'done') return `the label is ${labels} now and the host's own spec names it: ${run}`;
  if (rollout.state === 'aborted') return 'nothing: the rollout ended aborted and the zone\'s labels are the old ones again, which the host still runs';
  return `give it the new bridge another way before the flip (docs/relabel.md, "Scope"), or once the rollout is done, when its spec names ${labels}, ${run}`;
}

function targetsOf(backend: string): RenderTargetId[] {
  return RENDER_TARGETS.filter((t) => t.endsWith(`-${backend}`));
}

function requestedTarget(target: string, backend: string): RenderTargetId {
  if (!isRenderTargetId(target) || !target.endsWith(`-${backend}`)) {
    throw new DiffTargetError(`target ${JSON.stringify(target)}: this host uses ${backend === 'ovs' ? 'Open vSwitch' : 'Linux bridges'}; use one of ${targetsOf(backend).join(', ')}`);
  }
  return target;
}
