import { Inject, Injectable } from '@nestjs/common';
import { namedAs } from '@hostnet/contracts';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { isRenderTargetId, RENDER_TARGETS, type RenderTargetId } from '@hostnet/render';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { relabelHostDiff, type RelabelHostDiff } from './relabel-host-diff';
import { RolloutNotFoundError, type RelabelRolloutStore } from './relabel-rollout.store';
import { RELABEL_STORE } from './relabel-runner.service';
import { RolloutConflictError } from './rollout-transitions';

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
    if (!entry) throw new RolloutNotFoundError(notInRollout(host, await this.zoneHostId(rollout.zoneId, host), rolloutId, plan.warnings));
    const [hostId, h] = entry;
    const { intent } = this.specs.specFor(await this.topologies.get(rollout.zoneId), hostId);
    const chosen = target !== undefined ? { target: requestedTarget(target, intent.backend), targetSource: 'requested' as const } : await this.detected(hostId, h.hostName, intent.backend);
    return relabelHostDiff({ rolloutId, changes: rollout.changes, plan, hostId, intent, ...chosen });
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

  private async detected(hostId: string, hostName: string, backend: string): Promise<{ target: RenderTargetId; targetSource: 'detected' }> {
    const target = (await this.statuses.history(hostId)).find((r) => r.outcome?.target !== undefined)?.outcome?.target;
    if (target === undefined || !isRenderTargetId(target)) {
      throw new RolloutConflictError(
        `host ${hostName} has no hostnet run that detected its OS, so its files cannot be rendered yet; fix: add ?target=<one of ${targetsOf(backend).join(', ')}>, or configure the host with hostnet first`,
      );
    }
    return { target, targetSource: 'detected' };
  }
}

/** A host not among the rollout's steps: one the plan left behind (outside its scope) is named as such. */
function notInRollout(host: string, hostId: string | undefined, rolloutId: string, warnings: readonly { code: string; message: string; hostIds?: readonly string[] }[]): string {
  const behind = hostId === undefined ? undefined : warnings.find((w) => w.code === 'out-of-scope-hosts' && w.hostIds?.includes(hostId));
  if (behind) return `host ${JSON.stringify(host)} is outside rollout ${rolloutId}'s scope, left behind on purpose, so the rollout changes nothing on it (the plan's warning: ${behind.message}); fix: relabel its cluster in a rollout of its own`;
  return `host ${JSON.stringify(host)} is not in rollout ${rolloutId}; use a host id or name from GET /relabels/${rolloutId}`;
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
