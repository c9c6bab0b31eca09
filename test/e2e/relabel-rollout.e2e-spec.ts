import { MAINTENANCE_STATES, RelabelRollouts, type RolloutView } from '../support/relabel-rollouts';

/**
 * Four simulated hosts in two clusters, each running VMs, every host first configured and enabled by the
 * normal pipeline; then Public (cloudbr1, VLAN-tagged by the agent) is relabelled through the API. Host
 * steps are real runs of the worker on the simulated hosts; the CloudStack side is read from the
 * simulator's own call log.
 */
describe('relabel rollout on the simulated zone', () => {
  let r: RelabelRollouts;
  const nameOf = (hostId: string) => r.nameOf(hostId);
  const publicLabel = () => r.label('Public');
  const mutations = (since: Date) => r.mutations(since);

  beforeAll(async () => {
    r = await RelabelRollouts.start({ hosts: 4, clusters: 2, vmsPerHost: 2 });
  }, 180_000);
  afterAll(async () => r?.stop());

  it('refuses a bad request with 400s that name the field and the fix', async () => {
    const bad = await r.h.request<{ message: string[] }>('POST', '/relabels', { zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'this-name-is-far-too-long' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.message.join('\n')).toMatch(/changes\[0\]\.newLabel: .*this-name-is-far-too-long/);
    const shape = await r.h.request<{ message: string[] }>('POST', '/relabels', { zone: 'zone1', changes: [], strategy: { maintenance: 'sometimes' } });
    expect(shape.status).toBe(400);
    expect(shape.body.message.join('\n')).toMatch(/body\.changes: give at least one/);
    expect(shape.body.message.join('\n')).toMatch(/body\.strategy\.maintenance/);
  });

  it('plans, then runs expand → one flip → canary and waves with maintenance to done', async () => {
    const since = new Date();
    const planned = await r.plan(RelabelRollouts.publicTo('cloudbr5', { canary: 1, maxUnavailable: 1, abortAfter: 1, maintenance: 'required' }));
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({ state: 'planned', planHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(planned.body.plan.waves.map((w) => [w.kind, w.steps.map((s) => s.hostName)])).toEqual([
      ['canary', ['kvm1']],
      ['wave', ['kvm2', 'kvm3']],
      ['wave', ['kvm4']],
    ]);
    expect(mutations(since)).toEqual([]); // planning changes nothing
    const id = planned.body.id;

    const started = await r.h.request<RolloutView>('POST', `/relabels/${id}/start`, { requestedBy: 'e2e' });
    expect(started.status).toBe(202);
    // held by the rollout: a conflict, asked by name, answered with the host's id
    const blocked = await r.h.request<{ message: string; hostId: string }>('POST', '/hosts/kvm3/configure', { requestedBy: 'e2e' });
    expect([blocked.status, blocked.body.hostId]).toEqual([409, r.h.host('kvm3').id]);
    expect(blocked.body.message).toMatch(/^host is held by relabel rollout .* until it ends/);
    const done = await r.finished(id);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('done');
    expect(publicLabel()).toBe('cloudbr5');

    const calls = mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr5']);
    const prepares = calls.filter((c) => c.command === 'prepareHostForMaintenance');
    expect(prepares.map((c) => nameOf(c.params['id']!))[0]).toBe('kvm1');
    expect(prepares).toHaveLength(4);
    expect(calls.filter((c) => c.command === 'cancelHostMaintenance')).toHaveLength(4);
    expect(r.maxOutPerCluster(calls)).toBe(1);
    // the flip comes after every expand verified: no prepare/cancel before it, every freeze before it
    const flipIndex = calls.findIndex((c) => c.command === 'updateTrafficType');
    expect(calls.slice(0, flipIndex).every((c) => c.command === 'updateHost' && c.params['allocationstate'] === 'Disable')).toBe(true);
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      const layouts = await r.verifiedLayouts(host.id, id);
      expect(layouts[0]).toBe('both');
      expect(layouts.at(-1)).toBe('new');
      expect(done.hosts[host.id]).toMatchObject({ layout: 'new' });
    }
    // VMs migrated within their cluster and are all still running
    expect(r.h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0)).toBe(8);
    // every CloudStack call of the rollout is in its record
    // (the rollout records a call when it ends, so the two hosts of a wave may be listed in either order)
    const recorded = done.calls.filter((c) => c.command !== 'listHosts' && c.command !== 'listVirtualMachines').map((c) => `${c.command} ${c.params['id']}`);
    expect(recorded.sort()).toEqual(calls.map((c) => `${c.command} ${c.params['id']}`).sort());
    expect(done.calls.every((c) => c.ok)).toBe(true);
    // progress per wave in the order they ran, each host contracted with the run of its last step
    expect(done.progress.waves!.map((w) => [w.kind, w.index, w.hosts.map((x) => x.hostName), w.counts])).toEqual([
      ['canary', 1, ['kvm1'], { hosts: 1, expanded: 1, contracted: 1, failed: 0, inFlight: 0 }],
      ['wave', 2, ['kvm2', 'kvm3'], { hosts: 2, expanded: 2, contracted: 2, failed: 0, inFlight: 0 }],
      ['wave', 3, ['kvm4'], { hosts: 1, expanded: 1, contracted: 1, failed: 0, inFlight: 0 }],
    ]);
    for (const host of done.progress.waves!.flatMap((w) => w.hosts)) {
      expect(host).toMatchObject({ state: 'contracted', layout: 'new', clusterId: r.h.zone.cloudstack.state.hosts.find((x) => x.id === host.hostId)!.clusterId });
      expect(host.lastRun).toEqual({ runId: done.hosts[host.hostId]!.steps.at(-1)!.runId, status: expect.stringMatching(/^(applied|no-op)$/) });
    }
  }, 300_000);

  it('aborts on a failed maintenance with abortAfter 1: label flipped back, every host back on the old layout', async () => {
    const since = new Date();
    const planned = await r.plan({
      zone: 'zone1',
      changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr6' }],
      strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1 },
    });
    expect(planned.status).toBe(201);
    const id = planned.body.id;
    r.h.zone.cloudstack.faults.failHostMaintenance(1, { host: 'kvm2' }); // the first host after the canary
    expect((await r.h.request('POST', `/relabels/${id}/start`, {})).status).toBe(202);
    const aborted = await r.finished(id);

    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/abortAfter \(1\) reached: kvm2 failed/);
    expect(publicLabel()).toBe('cloudbr5');
    const calls = mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr6', 'cloudbr5']);
    expect(r.maxOutPerCluster(calls)).toBeLessThanOrEqual(1);
    // kvm4 (a later wave) never started its contract: its only maintenance is the rollback's, after the label is back
    const flipBackAt = calls.filter((c) => c.command === 'updateTrafficType')[1]!.at;
    expect(calls.some((c) => c.command === 'prepareHostForMaintenance' && nameOf(c.params['id']!) === 'kvm4' && c.at < flipBackAt)).toBe(false);
    expect(aborted.hosts[r.h.host('kvm4').id]!.steps.map((s) => s.purpose)).not.toContain('contract');
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(MAINTENANCE_STATES.has(host.resourceState)).toBe(false);
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      expect((await r.verifiedLayouts(host.id, id)).at(-1)).toBe('old');
      expect(aborted.hosts[host.id]).toMatchObject({ layout: 'old' });
    }
    // kvm2's failure is in the record; the rollback's verified step since puts it with the others, back on the old layout
    expect(aborted.progress.failed).toBe(1);
    expect(aborted.progress.waves!.flatMap((w) => w.hosts).map((x) => [x.hostName, x.state, x.layout])).toEqual(['kvm1', 'kvm2', 'kvm3', 'kvm4'].map((n) => [n, 'restored', 'old']));
  }, 300_000);
});
