import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import type { RelabelHostStep } from '@hostnet/contracts';
import type { HostSpecService } from '@hostnet/host-spec';
import { hostOverrideFor, selectProfile, ViolationList } from '@hostnet/intent';
import { RelabelProblems, type RelabelPlan, type ResolvedChange } from '@hostnet/relabel';

/**
 * What the rollout derives for each in-scope host, derived once at plan time with the same HostSpecService,
 * so a relabel that cannot work is refused before anything changes, by host, instead of on the first host
 * step after other hosts were expanded:
 * - each host step's layout (`both`: the expand, `new`: the contract), as the runner derives it;
 * - the host's own spec once the label is flipped, as every later run (poller, configure) derives it: a
 *   profile that finds a physical network's uplink by the label the rollout changes finds none after it.
 * A host whose spec cannot be derived today is left to the planner's own warning (it has no host facts).
 */
export function assertRelabelDerivable(plan: RelabelPlan, topology: ZoneNetworkTopology, specs: HostSpecService): void {
  const problems = new HostsWithTheSameProblem();
  const flipped = flippedTopology(topology, plan.changes);
  const changes = plan.changes.map((c) => ({ physicalNetworkId: c.physicalNetworkId, trafficType: c.trafficType, oldLabel: c.oldLabel, newLabel: c.newLabel }));
  for (const step of plan.expand) {
    if (derive(() => specs.specFor(topology, step.hostId)) !== undefined) continue; // the planner warned already
    for (const layout of ['both', 'new'] as const) {
      const relabel: RelabelHostStep = { rolloutId: 'plan', layout, changes, restartAgent: false };
      const failure = derive(() => specs.specFor(topology, step.hostId, relabel));
      if (failure === undefined) continue;
      problems.add(`hosts.${step.hostName}`, layout, `is a layout of this rollout that cannot be built on this host (${failure}), so its host step would fail after other hosts were changed`, 'leave this change or the host\'s cluster out of the rollout, or change the host\'s intent so the layout builds');
      break;
    }
    const after = derive(() => specs.specFor(flipped, step.hostId));
    if (after === undefined) continue;
    const named = namedByOldLabel(specs, topology, step.hostId, plan.changes);
    for (const m of named.filter((n) => n.kind === 'match')) {
      problems.add(`hosts.${step.hostName}`, `${m.path} ${m.label}`, `finds the uplink of physical network ${m.network} by a label this rollout changes to ${m.newLabel}, so after the flip no spec of this host can be derived (${after})`, `match it by physical network instead: match: { physicalNetwork: ${JSON.stringify(m.network)} }, reload the profiles, then plan again`);
    }
    for (const m of named.filter((n) => n.kind === 'extra')) {
      problems.add(`hosts.${step.hostName}`, `${m.path} ${m.label}`, `names the bridge of a label this rollout changes to ${m.newLabel} by its old name, so after the flip no spec of this host can be derived (${after})`, `relabel only labels whose bridges come from networks[] (an extras bridge is named by the profiles, not by CloudStack), or move ${m.label} to ${m.newLabel} by reconfiguring with new profiles instead of a relabel`);
    }
    if (named.length === 0) {
      problems.add(`hosts.${step.hostName}`, plan.changes.map((c) => `${c.physicalNetworkName}/${c.trafficType}=${c.newLabel}`).join(', '), `leaves no spec of this host derivable after the flip (${after})`, 'change the profiles so the host derives under the new labels, then plan again');
    }
  }
  problems.throwIfAny();
}

/**
 * The problems of many hosts, one line for each distinct cause naming every host it stops (a zone's hosts
 * mostly share a profile: five hosts refused for one cause was five identical paragraphs on one line).
 */
export class HostsWithTheSameProblem {
  private readonly causes = new Map<string, { hosts: string[]; value: unknown; problem: string; fix: string }>();

  add(field: string, value: unknown, problem: string, fix: string): void {
    const key = JSON.stringify([value, problem, fix]);
    const cause = this.causes.get(key) ?? { hosts: [], value, problem, fix };
    cause.hosts.push(field);
    this.causes.set(key, cause);
  }

  throwIfAny(): void {
    const problems = new RelabelProblems();
    for (const { hosts, value, problem, fix } of this.causes.values()) problems.add(hosts.join(', '), value, problem, fix);
    problems.throwIfAny();
  }
}

/** The zone as CloudStack will hold it after the flip: each changed traffic type, and the ones that follow its bridge, on the new label. */
export function flippedTopology(topology: ZoneNetworkTopology, changes: readonly ResolvedChange[]): ZoneNetworkTopology {
  const byId = new Map(changes.map((c) => [c.trafficTypeId, c]));
  const byOld = new Map(changes.map((c) => [c.oldLabel, c.newLabel]));
  return {
    ...topology,
    physicalNetworks: topology.physicalNetworks.map((n) => ({
      ...n,
      trafficTypes: n.trafficTypes.map((t) => {
        const change = byId.get(t.id);
        if (change) return { ...t, kvmNetworkLabel: change.newLabel, effectiveLabel: change.newLabel, labelSource: 'cloudstack' as const };
        const follows = t.labelSource === 'agent-default' ? byOld.get(t.effectiveLabel) : undefined;
        return follows ? { ...t, effectiveLabel: follows } : t;
      }),
    })),
  };
}

/** The host's profile entries that name a changed label: a networks[] match by it, or an extras bridge of that name. */
function namedByOldLabel(specs: HostSpecService, topology: ZoneNetworkTopology, hostId: string, changes: readonly ResolvedChange[]) {
  const host = topology.hosts.find((h) => h.id === hostId);
  if (!host) return [];
  const set = specs.profiles;
  const errors = new ViolationList();
  const placement = { host, zone: topology.zone, pod: topology.pods.find((p) => p.id === host.podId), cluster: topology.clusters.find((c) => c.id === host.clusterId) };
  const selection = selectProfile(set, placement, hostOverrideFor(set, host, undefined, errors), errors);
  if (!selection) return [];
  const path = `profiles.${selection.profileName}`;
  const changeOf = (label: string | undefined) => changes.find((c) => label !== undefined && label === c.oldLabel);
  const matches = selection.profile.networks.flatMap((entry, i) => {
    const change = changeOf(entry.match.label);
    return change ? [{ kind: 'match' as const, path: `${path}.networks[${i}].match.label`, label: change.oldLabel, network: change.physicalNetworkName, newLabel: change.newLabel }] : [];
  });
  const extras = (selection.profile.extras ?? []).flatMap((entry, i) => {
    const change = changeOf(entry.name);
    return change ? [{ kind: 'extra' as const, path: `${path}.extras[${i}].name`, label: change.oldLabel, network: change.physicalNetworkName, newLabel: change.newLabel }] : [];
  });
  return [...matches, ...extras];
}

/** undefined when `build` succeeds, else its error's message on one line. */
function derive(build: () => unknown): string | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    const violations = (error as { violations?: readonly { message: string }[] }).violations;
    return violations ? violations.map((v) => v.message).join('; ') : (error as Error).message;
  }
}
