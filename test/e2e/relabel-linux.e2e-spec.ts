import { RelabelRollouts } from '../support/relabel-rollouts';

/**
 * A relabel rollout on Linux-bridge hosts (docs/relabel.md §2): Debian ifupdown and Rocky
 * NetworkManager personas, two VMs each, every host first configured and enabled by the normal pipeline (so api knows
 * each host's target). Public (cloudbr1 on bond1) goes to cloudbr5: expand moves the uplink into the new
 * bridge and links the old one by a veth pair, the label flips once, the agents switch, the contract drops
 * the veth and the old bridge. Read from the simulator: its CloudStack calls, VM placements and each host's
 * live states.
 */
describe('relabel rollout on Linux-bridge hosts (debian-ifupdown-linux, networkmanager-linux)', () => {
  let r: RelabelRollouts;
  const links = (name: string) => new Map(r.h.host(name).kvm.readLiveState().links.map((l) => [l.name, l]));
  const everSeen = (name: string, since: Date) => new Set(r.h.host(name).kvm.readLiveHistory().filter((e) => e.at >= since.getTime()).flatMap((e) => e.links));

  beforeAll(async () => {
    r = await RelabelRollouts.start({ hosts: 3, clusters: 1, vmsPerHost: 2, personas: ['debian12', 'rocky9'] });
  }, 180_000);
  afterAll(async () => r?.stop());

  it('expand → one flip → switch → contract, with VMs never without their bridge', async () => {
    const since = new Date();
    const planned = await r.plan({
      zone: 'zone1',
      changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr5' }],
      strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1, maintenance: 'required' },
      requestedBy: 'e2e',
    });
    expect(planned.status).toBe(201);
    expect(planned.body.plan.expand.map((s) => s.backend)).toEqual(['linux', 'linux', 'linux']);
    const id = planned.body.id;
    expect((await r.h.request('POST', `/relabels/${id}/start`, { requestedBy: 'e2e' })).status).toBe(202);
    const done = await r.finished(id);
    expect(done.reason).toBeUndefined();
    expect(done.state).toBe('done');
    expect(r.label('Public')).toBe('cloudbr5');

    const calls = r.mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr5']);
    const flipAt = calls.findIndex((c) => c.command === 'updateTrafficType');
    expect(r.hostsOf(calls.slice(0, flipAt), 'updateHost').sort()).toEqual(['kvm1', 'kvm2', 'kvm3']); // frozen before the flip
    expect(r.maxOutPerCluster(calls.slice(flipAt + 1))).toBeLessThanOrEqual(1);
    const targets = await Promise.all(r.h.zone.cloudstack.state.hosts.map(async (h) => (await r.runs(h.id, id)).flatMap((run) => run.outcome?.target ?? [])));
    expect(targets.map((t) => [...new Set(t)]).sort()).toEqual([['debian-ifupdown-linux'], ['debian-ifupdown-linux'], ['networkmanager-linux']]);
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      const layouts = await r.verifiedLayouts(host.id, id);
      expect([host.name, layouts[0], layouts.at(-1)]).toEqual([host.name, 'both', 'new']);
      // the expand layout ran: the veth pair existed, with the old bridge, while the uplink sat in the new one
      expect([...everSeen(host.name, since)].filter((n) => /^(ethl|lnk)-/.test(n)).sort()).toEqual(['ethl-cloudbr5', 'lnk-cloudbr1']);
      const now = links(host.name);
      expect([host.name, now.get('bond1')?.master, now.has('cloudbr1'), now.has('ethl-cloudbr5'), now.has('lnk-cloudbr1')]).toEqual([host.name, 'cloudbr5', false, false, false]);
    }
    expect(r.h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0)).toBe(6);
    expect(r.h.zone.vmBridgeGaps(since)).toEqual([]);
  }, 300_000);

  it('aborts on a failed maintenance: the label flips back and every host returns to the old layout, veth and new bridge gone', async () => {
    const since = new Date();
    const planned = await r.plan({ zone: 'zone1', changes: [{ physicalNetwork: 'physnet2', trafficType: 'Public', newLabel: 'cloudbr6' }], strategy: { canary: 1, maxUnavailable: 1, abortAfter: 1 } });
    expect(planned.status).toBe(201);
    const id = planned.body.id;
    r.h.zone.cloudstack.faults.failHostMaintenance(1, { host: 'kvm2' }); // the host after the canary
    expect((await r.h.request('POST', `/relabels/${id}/start`, {})).status).toBe(202);
    const aborted = await r.finished(id);
    expect(aborted.state).toBe('aborted');
    expect(aborted.reason).toMatch(/abortAfter \(1\) reached: kvm2 failed/);
    expect(r.label('Public')).toBe('cloudbr5');
    expect(r.mutations(since).filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr6', 'cloudbr5']);
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      expect((await r.verifiedLayouts(host.id, id)).at(-1)).toBe('old');
      expect([...everSeen(host.name, since)].filter((n) => /^(ethl|lnk)-/.test(n)).sort()).toEqual(['ethl-cloudbr6', 'lnk-cloudbr5']);
      const now = links(host.name);
      expect([host.name, now.get('bond1')?.master, now.has('cloudbr6'), now.has('ethl-cloudbr6'), now.has('lnk-cloudbr5')]).toEqual([host.name, 'cloudbr5', false, false, false]);
    }
    expect(r.h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0)).toBe(6);
    expect(r.h.zone.vmBridgeGaps(since)).toEqual([]);
  }, 300_000);
});
