import type { RecordedCall } from '../../apps/simulator/src/cloudstack';
import { PipelineHarness } from '../support/pipeline-harness';

interface HostStatus {
  hostId: string;
  hostName: string;
  phase: string;
}

interface RolloutView {
  id: string;
  state: string;
  phase: string;
  reason?: string;
  planHash: string;
  flipped: string[];
  hosts: Record<string, { hostName: string; layout: string; steps: { purpose: string; layout: string; result?: string; runId?: string }[] }>;
  plan: { waves: { kind: string; steps: { hostName: string }[] }[]; flip: { params: Record<string, string> }[] };
  calls: { command: string; params: Record<string, string>; ok: boolean }[];
}

const MAINTENANCE = new Set(['PrepareForMaintenance', 'Maintenance', 'ErrorInMaintenance', 'ErrorInPrepareForMaintenance']);

/**
 * Four simulated hosts in two clusters, each running VMs, every host first configured and enabled by the
 * normal pipeline; then Public (cloudbr1, VLAN-tagged by the agent) is relabelled through the API. Host
 * steps are real runs of the worker on the simulated hosts; the CloudStack side is read from the
 * simulator's own call log.
 */
describe('relabel rollout on the simulated zone', () => {
  let h: PipelineHarness;
  const clusterOf = (hostId: string) => h.zone.cloudstack.state.hosts.find((x) => x.id === hostId)?.clusterId ?? '';
  const nameOf = (hostId: string) => h.zone.cloudstack.state.hosts.find((x) => x.id === hostId)?.name ?? hostId;
  const publicLabel = () => h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === 'Public')?.kvmNetworkLabel;
  const mutations = (since: Date) => h.zone.cloudstack.calls.mutations().filter((c) => c.at >= since);

  /** The most hosts of one cluster between prepareHostForMaintenance and cancelHostMaintenance at once. */
  function maxOutPerCluster(calls: RecordedCall[]): number {
    const out = new Map<string, Set<string>>();
    let most = 0;
    for (const c of calls) {
      const id = c.params['id'] ?? '';
      const set = out.get(clusterOf(id)) ?? new Set<string>();
      if (c.command === 'prepareHostForMaintenance') set.add(id);
      if (c.command === 'cancelHostMaintenance') set.delete(id);
      out.set(clusterOf(id), set);
      most = Math.max(most, set.size);
    }
    return most;
  }

  /** Layouts of the host's verified relabel runs of `rolloutId`, oldest first, from its history. */
  async function verifiedLayouts(hostId: string, rolloutId: string): Promise<string[]> {
    const view = await h.view(hostId);
    return (view?.history ?? [])
      .filter((r) => r.relabel?.rolloutId === rolloutId && (r.phase === 'verified' || r.phase === 'no-op'))
      .reverse()
      .map((r) => r.relabel!.layout);
  }

  async function finished(id: string, timeoutMs = 240_000): Promise<RolloutView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await h.request<RolloutView & { lastError?: string }>('GET', `/relabels/${id}`);
      if (body.state === 'done' || body.state === 'aborted') return body;
      if (Date.now() > deadline) {
        const hosts = Object.values(body.hosts).map((x) => `${x.hostName}: ${x.layout} ${JSON.stringify((x as { current?: unknown }).current ?? null)}`);
        throw new Error(`rollout ${id} did not end: ${body.state}/${body.phase} ${body.reason ?? ''} ${body.lastError ?? ''}; ${hosts.join('; ')}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  beforeAll(async () => {
    // Open vSwitch personas only: the expand layout is rendered for OVS (Linux-bridge hosts are refused at plan time).
    h = await PipelineHarness.start({ hosts: 4, clusters: 2, vmsPerHost: 2, asyncJobDelayMs: 30, personas: ['centos7', 'ubuntu2404'] });
    await h.until('every host enabled by the normal pipeline', async () => {
      const { body } = await h.request<HostStatus[]>('GET', '/hosts');
      return body.length === 4 && body.every((s) => s.phase === 'enabled') ? body : undefined;
    }, 120_000);
  }, 180_000);
  afterAll(async () => h?.stop());

  it('refuses a bad request with 400s that name the field and the fix', async () => {
    const bad = await h.request<{ message: string[] }>('POST', '/relabels', { zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'this-name-is-far-too-long' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join('\n')).toMatch(/changes\[0\]\.newLabel: .*this-name-is-far-too-long/);
    const shape = await h.request<{ message: string[] }>('POST', '/relabels', { zone: 'zone1', changes: [], strategy: { maintenance: 'sometimes' } });
    expect(shape.status).toBe(400);
    expect(shape.body.message.join('\n')).toMatch(/body\.changes: give at least one/);
    expect(shape.body.message.join('\n')).toMatch(/body\.strategy\.maintenance/);
  });

  it('plans, then runs expand → one flip → canary and waves with maintenance to done', async () => {
    const since = new Date();
    const planned = await h.request<RolloutView>('POST', '/relabels', {
      zone: 'zone1',
      changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' }],
      strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1, maintenance: 'required' },
      requestedBy: 'e2e',
    });
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({ state: 'planned', planHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(planned.body.plan.waves.map((w) => [w.kind, w.steps.map((s) => s.hostName)])).toEqual([
      ['canary', ['kvm1']],
      ['wave', ['kvm2', 'kvm3']],
      ['wave', ['kvm4']],
    ]);
    expect(mutations(since)).toEqual([]); // planning changes nothing
    const id = planned.body.id;

    const started = await h.request<RolloutView>('POST', `/relabels/${id}/start`, { requestedBy: 'e2e' });
    expect(started.status).toBe(202);
    const blocked = await h.configure(h.host('kvm3').id, { requestedBy: 'e2e' });
    expect(blocked.status).toBe(422); // held by the rollout
    const done = await finished(id);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('done');
    expect(publicLabel()).toBe('cloudbr5');

    const calls = mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr5']);
    const prepares = calls.filter((c) => c.command === 'prepareHostForMaintenance');
    expect(prepares.map((c) => nameOf(c.params['id']!))[0]).toBe('kvm1');
    expect(prepares).toHaveLength(4);
    expect(calls.filter((c) => c.command === 'cancelHostMaintenance')).toHaveLength(4);
    expect(maxOutPerCluster(calls)).toBe(1);
    // the flip comes after every expand verified: no prepare/cancel before it, every freeze before it
    const flipIndex = calls.findIndex((c) => c.command === 'updateTrafficType');
    expect(calls.slice(0, flipIndex).every((c) => c.command === 'updateHost' && c.params['allocationstate'] === 'Disable')).toBe(true);
    for (const host of h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      const layouts = await verifiedLayouts(host.id, id);
      expect(layouts[0]).toBe('both');
      expect(layouts.at(-1)).toBe('new');
      expect(done.hosts[host.id]).toMatchObject({ layout: 'new' });
    }
    // VMs migrated within their cluster and are all still running
    expect(h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0)).toBe(8);
    // every CloudStack call of the rollout is in its record
    // (the rollout records a call when it ends, so the two hosts of a wave may be listed in either order)
    const recorded = done.calls.filter((c) => c.command !== 'listHosts' && c.command !== 'listVirtualMachines').map((c) => `${c.command} ${c.params['id']}`);
    expect(recorded.sort()).toEqual(calls.map((c) => `${c.command} ${c.params['id']}`).sort());
    expect(done.calls.every((c) => c.ok)).toBe(true);
  }, 300_000);

  it('aborts on a failed maintenance with abortAfter 1: label flipped back, every host back on the old layout', async () => {
    const since = new Date();
    const planned = await h.request<RolloutView>('POST', '/relabels', {
      zone: 'zone1',
      changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr6' }],
      strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1 },
    });
    expect(planned.status).toBe(201);
    const id = planned.body.id;
    h.zone.cloudstack.faults.failHostMaintenance(1, { host: 'kvm2' }); // the first host after the canary
    expect((await h.request('POST', `/relabels/${id}/start`, {})).status).toBe(202);
    const aborted = await finished(id);

    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/abortAfter \(1\) reached: kvm2 failed/);
    expect(publicLabel()).toBe('cloudbr5');
    const calls = mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr6', 'cloudbr5']);
    expect(maxOutPerCluster(calls)).toBeLessThanOrEqual(1);
    expect(calls.some((c) => c.command === 'prepareHostForMaintenance' && nameOf(c.params['id']!) === 'kvm4')).toBe(false);
    for (const host of h.zone.cloudstack.state.hosts) {
      expect(MAINTENANCE.has(host.resourceState)).toBe(false);
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      expect((await verifiedLayouts(host.id, id)).at(-1)).toBe('old');
      expect(aborted.hosts[host.id]).toMatchObject({ layout: 'old' });
    }
  }, 300_000);
});
