import type { KvmHost, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { specHash } from '@hostnet/contracts';
import { AGENT_TAGGED, checkAgentBridgeNames, factsFor } from './agent-bridge-names.check';
import { resolveChanges } from './relabel-changes.resolver';
import { RelabelProblems } from './relabel-errors';
import type { CloudStackCall, HostStep, HostStepKind, OutOfScopePolicy, RelabelInput, RelabelPlan, RelabelWarning, ResolvedChange, ResolvedStrategy } from './relabel-plan.types';
import { hostsOutOfScope, resolveScope, resolveStrategy, type ResolvedScope } from './relabel-scope.resolver';
import { planHostWaves } from './relabel-waves';
import { checkInterfaceNames } from './interface-names.check';
import { checkDriftedHosts } from './drifted-hosts.check';

/** Bumped whenever the plan's shape or meaning changes, so an old hash never matches a new plan. */
export const RELABEL_PLAN_VERSION = 2;

const call = (api: CloudStackCall['api'], params: Record<string, string>, extra: Partial<CloudStackCall> = {}): CloudStackCall => ({
  api,
  params,
  async: api !== 'updateHost',
  condition: 'always',
  ...extra,
});

/** prepareHostForMaintenance / cancelHostMaintenance around a contract step, per strategy; none for a host already in Maintenance. */
function maintenanceCalls(host: KvmHost, strategy: ResolvedStrategy): { before: CloudStackCall[]; after: CloudStackCall[] } {
  if (strategy.maintenance === 'never' || host.resourceState === 'Maintenance') return { before: [], after: [] };
  const condition = strategy.maintenance === 'when-vms' ? 'if-running-vms' : 'always';
  return {
    before: [call('prepareHostForMaintenance', { id: host.id }, { condition, hostId: host.id })],
    after: [call('cancelHostMaintenance', { id: host.id }, { condition, hostId: host.id })],
  };
}

/**
 * Plans a bulk re-labelling (docs/relabel.md): every host in scope gets the new bridge beside the old one,
 * the labels flip once in CloudStack, linux hosts restart their agent under an allocation freeze when the
 * agent derives VLAN bridges for the traffic, then hosts are contracted canary first and in waves bounded
 * per cluster. Pure: no I/O; the same input gives the same plan and planHash. Throws RelabelValidationError.
 */
export function planRelabel(input: RelabelInput): RelabelPlan {
  const problems = new RelabelProblems();
  const { topology } = input;
  const changes = resolveChanges(topology, input.changes, problems);
  const scope = resolveScope(topology, input.scope, problems);
  const strategy = resolveStrategy(input.strategy, scope, problems);
  const hosts = scope.clusters.flatMap((c) => scope.hostsByCluster.get(c.id) ?? []);
  const warnings: RelabelWarning[] = [];
  checkOutOfScope(topology, changes, scope, input.outOfScope, problems, warnings);
  checkAgentBridgeNames(topology, changes, hosts, input.hostFacts, input.publicVlans, problems, warnings);
  checkInterfaceNames(input.changes, hosts, input.hostFacts, problems);
  checkDriftedHosts(hosts, input.hostFacts, input.drifted, problems, warnings);
  problems.throwIfAny();

  const backendOf = (host: KvmHost) => factsFor(input.hostFacts, host).backend ?? 'linux';
  const step = (kind: HostStepKind, host: KvmHost, restartAgent: boolean, before: CloudStackCall[] = [], after: CloudStackCall[] = []): HostStep => ({
    kind,
    hostId: host.id,
    hostName: host.name,
    clusterId: host.clusterId,
    backend: backendOf(host),
    restartAgent,
    before,
    after,
    diffHref: `hosts/${encodeURIComponent(host.id)}/diff`,
  });

  // OVS maps every bridge to itself when the agent starts, so a restart after expand makes the new label usable at once.
  const expand = hosts.map((h) => step('expand', h, backendOf(h) === 'ovs'));
  const needsSwitch = changes.some((c) => AGENT_TAGGED.has(c.trafficType));
  const switchHosts = needsSwitch ? hosts.filter((h) => backendOf(h) === 'linux') : [];
  const frozen = switchHosts.filter((h) => h.resourceState === 'Enabled');
  const freeze = frozen.map((h) => call('updateHost', { id: h.id, allocationstate: 'Disable' }, { hostId: h.id }));
  const switchSteps = switchHosts.map((h) =>
    step('switch', h, true, [], h.resourceState === 'Enabled' ? [call('updateHost', { id: h.id, allocationstate: 'Enable' }, { hostId: h.id })] : []),
  );
  const flip = changes.map((c) => call('updateTrafficType', { id: c.trafficTypeId, kvmnetworklabel: c.newLabel }));
  const rollbackFlip = changes.map((c) => call('updateTrafficType', { id: c.trafficTypeId, kvmnetworklabel: c.oldKvmNetworkLabel ?? '' }));

  const contract = (h: KvmHost) => {
    const m = maintenanceCalls(h, strategy);
    return step('contract', h, true, m.before, m.after);
  };
  const ordered = planHostWaves(scope, strategy.canary, strategy.maxUnavailableByCluster);
  const waves = [
    ...ordered.canary.map((h, i) => ({ index: i, kind: 'canary' as const, steps: [contract(h)] })),
    ...ordered.waves.map((ws, i) => ({ index: ordered.canary.length + i, kind: 'wave' as const, steps: ws.map(contract) })),
  ];
  const calls = [
    ...freeze,
    ...flip,
    ...switchSteps.flatMap((s) => s.after),
    ...waves.flatMap((w) => w.steps.flatMap((s) => [...s.before, ...s.after])),
  ];

  const notUp = hosts.filter((h) => h.state !== 'Up').map((h) => h.id);
  if (notUp.length > 0) warnings.push({ code: 'host-not-up', message: `${notUp.length} host(s) in scope are not Up; their steps wait for them and count as failures on timeout`, hostIds: notUp });
  const inMaintenance = hosts.filter((h) => h.resourceState === 'Maintenance').map((h) => h.id);
  if (inMaintenance.length > 0) warnings.push({ code: 'host-in-maintenance', message: `${inMaintenance.length} host(s) are already in Maintenance: no maintenance calls, they stay in Maintenance`, hostIds: inMaintenance });
  if (freeze.length > 0) {
    warnings.push({
      code: 'allocation-freeze',
      message: `${freeze.length} linux host(s) are Disabled from just before the flip until their agent restarted with the new label (no new VM placements there meanwhile; running VMs are untouched)`,
    });
  }

  const body = {
    zoneId: topology.zone.id,
    changes,
    strategy,
    clusterIds: scope.clusters.map((c) => c.id),
    hostCount: hosts.length,
    expand,
    freeze,
    flip,
    switch: switchSteps,
    waves,
    calls,
    rollbackFlip,
    warnings,
  };
  const planHash = specHash({ version: RELABEL_PLAN_VERSION, input, plan: body });
  return { ...body, planHash };
}

/**
 * The flip is zone-wide: hosts outside the scope are asked for the new bridge as soon as it happens. Refused unless
 * the operator says they are left behind on purpose (docs/relabel.md, "Scope").
 */
function checkOutOfScope(
  topology: ZoneNetworkTopology,
  changes: ResolvedChange[],
  scope: ResolvedScope,
  policy: OutOfScopePolicy | undefined,
  problems: RelabelProblems,
  warnings: RelabelWarning[],
): void {
  if (policy !== undefined && policy !== 'refuse' && policy !== 'leave-behind') {
    problems.add('outOfScope', policy, 'is neither "refuse" nor "leave-behind"', 'leave it out (refuse), or write "leave-behind"');
    return;
  }
  const known = new Set(topology.clusters.map((c) => c.id));
  const outside = hostsOutOfScope(topology, scope);
  // A cluster the listing does not show (created between CloudStack's list calls): not the operator's scope to fix.
  for (const h of outside.filter((x) => !known.has(x.clusterId))) {
    problems.add(`hosts.${h.name}.clusterId`, h.clusterId, 'is a cluster the zone\'s cluster list did not show when it was read', 'plan again (the zone changed while it was read)');
  }
  const leftOut = outside.filter((h) => known.has(h.clusterId));
  if (leftOut.length === 0 || scope.clusters.length === 0) return;
  const clusterName = (id: string) => topology.clusters.find((c) => c.id === id)?.name ?? id;
  const byCluster = new Map<string, string[]>();
  for (const h of leftOut) {
    const cluster = clusterName(h.clusterId);
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), h.name]);
  }
  const where = [...byCluster].map(([cluster, names]) => `${names.join(', ')} in ${cluster}`).join('; ');
  const bridges = changes.map((c) => `${c.newLabel} for ${c.trafficType}`).join(', ') || 'the new bridge';
  const consequence = `CloudStack's label is zone-wide, so after the flip they are asked for ${bridges}, which hostnet will not give them: ` +
    'a VM started there with such a NIC fails to plug, and their next connect is refused ("Can not find network")';
  if (policy === 'leave-behind') {
    warnings.push({ code: 'out-of-scope-hosts', message: `${leftOut.length} KVM host(s) outside the scope are left behind (${where}): ${consequence}`, hostIds: leftOut.map((h) => h.id) });
    return;
  }
  problems.add('scope', scope.clusters.map((c) => c.name), `leaves out ${leftOut.length} KVM host(s) of the zone (${where}); ${consequence}`,
    'leave scope out (every KVM cluster), or give those hosts the new bridge another way first and set outOfScope "leave-behind" (CLI --out-of-scope leave-behind)');
}

