import { RelabelRollouts } from '../support/relabel-rollouts';

type HostDiffBody = { targetSource: string; phases: { phase: string; files: { path: string; change: string }[] }[] };

/**
 * A relabel rollout on Linux-bridge hosts (docs/relabel.md §2): Debian ifupdown, Rocky NetworkManager
 * and Ubuntu netplan personas, two VMs each, every host first configured and enabled by the normal pipeline (so api knows
 * each host's target). Public (cloudbr1 on bond1) goes to cloudbr5: expand moves the uplink into the new
 * bridge and links the old one by a veth pair, the label flips once, the agents switch, the contract drops
 * the veth and the old bridge. Read from the simulator: its CloudStack calls, VM placements and each host's
 * live states.
 */
describe('relabel rollout on Linux-bridge hosts (debian-ifupdown-linux, networkmanager-linux, netplan-linux)', () => {
  let r: RelabelRollouts;
  const links = (name: string) => new Map(r.h.host(name).kvm.readLiveState().links.map((l) => [l.name, l]));
  const everSeen = (name: string, since: Date) => new Set(r.h.host(name).kvm.readLiveHistory().filter((e) => e.at >= since.getTime()).flatMap((e) => e.links));

  /**
   * The expand layout ran (the veth pair `from` ↔ `to` existed at some point since `since`), and now both
   * ends and the bridge `gone` are gone, the uplink (bond1) in `uplinkIn`.
   */
  function expectLinkedThenGone(name: string, since: Date, b: { from: string; to: string; uplinkIn: string; gone: string }): void {
    const ends = [`ethl-${b.to}`, `lnk-${b.from}`];
    expect([...everSeen(name, since)].filter((n) => /^(ethl|lnk)-/.test(n)).sort()).toEqual(ends);
    const now = links(name);
    expect([name, now.get('bond1')?.master, now.has(b.gone), ...ends.map((e) => now.has(e))]).toEqual([name, b.uplinkIn, false, false, false]);
  }

  /** Every VM still runs, and none ever had a NIC on a bridge its host lacked (VM placements against live states). */
  function expectVmsKeptTheirBridges(since: Date): void {
    expect(r.h.zone.cloudstack.state.hosts.reduce((n, x) => n + (x.runningVms ?? 0), 0)).toBe(6);
    expect(r.h.zone.vmBridgeGaps(since)).toEqual([]);
  }

  const filesOf = (files: { path: string; change: string }[]) =>
    files.filter((f) => f.change !== 'same' && !f.path.endsWith('/agent.properties')).map((f) => `${f.change} ${f.path}`).sort();

  /** GET /relabels/:id/hosts/:host/diff for every host: the files its expand and contract steps will change. */
  async function predictedChanges(id: string): Promise<Map<string, { expand: string[]; contract: string[] }>> {
    const out = new Map<string, { expand: string[]; contract: string[] }>();
    for (const host of r.h.zone.cloudstack.state.hosts) {
      const res = await r.h.request<HostDiffBody>('GET', `/relabels/${id}/hosts/${encodeURIComponent(host.name)}/diff`);
      expect([host.name, res.status, res.body.targetSource]).toEqual([host.name, 200, 'detected']);
      const phase = (name: string) => filesOf(res.body.phases.find((p) => p.phase === name)!.files);
      out.set(host.name, { expand: phase('expand'), contract: phase('contract') });
      expect([host.name, phase('expand').length > 0, phase('contract').length > 0]).toEqual([host.name, true, true]);
    }
    return out;
  }

  beforeAll(async () => {
    r = await RelabelRollouts.start({ hosts: 3, clusters: 1, vmsPerHost: 2, personas: ['debian12', 'rocky9', 'ubuntu2204'] });
  }, 180_000);
  afterAll(async () => r?.stop());

  it('expand → one flip → switch → contract, with VMs never without their bridge', async () => {
    const since = new Date();
    const planned = await r.plan(RelabelRollouts.publicTo('cloudbr5', { canary: 1, maxUnavailable: 1, abortAfter: 1, maintenance: 'required' }));
    expect(planned.status).toBe(201);
    expect(planned.body.plan.expand.map((s) => s.backend)).toEqual(['linux', 'linux', 'linux']);
    const id = planned.body.id;
    const predicted = await predictedChanges(id);
    expect((await r.h.request('POST', `/relabels/${id}/start`, { requestedBy: 'e2e' })).status).toBe(202);
    const done = await r.finished(id);
    expect(done.reason).toBeUndefined();
    // The plan's per-host diffs named the files each step then changed, and no other.
    for (const host of r.h.zone.cloudstack.state.hosts) {
      const runs = (await r.runs(host.id, id)).filter((run) => run.phase === 'verified');
      const changed = (layout: string) => runs.filter((run) => run.relabel!.layout === layout).map((run) => filesOf(run.outcome?.diff?.files ?? []))[0];
      expect([host.name, changed('both'), changed('new')]).toEqual([host.name, predicted.get(host.name)!.expand, predicted.get(host.name)!.contract]);
    }
    expect(done.state).toBe('done');
    expect(r.label('Public')).toBe('cloudbr5');

    const calls = r.mutations(since);
    expect(calls.filter((c) => c.command === 'updateTrafficType').map((c) => c.params['kvmnetworklabel'])).toEqual(['cloudbr5']);
    const flipAt = calls.findIndex((c) => c.command === 'updateTrafficType');
    expect(r.hostsOf(calls.slice(0, flipAt), 'updateHost').sort()).toEqual(['kvm1', 'kvm2', 'kvm3']); // frozen before the flip
    expect(r.maxOutPerCluster(calls.slice(flipAt + 1))).toBeLessThanOrEqual(1);
    const targets = await Promise.all(r.h.zone.cloudstack.state.hosts.map(async (h) => (await r.runs(h.id, id)).flatMap((run) => run.outcome?.target ?? [])));
    expect(targets.map((t) => [...new Set(t)]).sort()).toEqual([['debian-ifupdown-linux'], ['netplan-linux'], ['networkmanager-linux']]);
    for (const host of r.h.zone.cloudstack.state.hosts) {
      expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
      const layouts = await r.verifiedLayouts(host.id, id);
      expect([host.name, layouts[0], layouts.at(-1)]).toEqual([host.name, 'both', 'new']);
      expectLinkedThenGone(host.name, since, { from: 'cloudbr1', to: 'cloudbr5', uplinkIn: 'cloudbr5', gone: 'cloudbr1' });
    }
    expectVmsKeptTheirBridges(since);
  }, 300_000);

  it('aborts on a failed maintenance: the label flips back and every host returns to the old layout, veth and new bridge gone', async () => {
    const since = new Date();
    const planned = await r.plan(RelabelRollouts.publicTo('cloudbr6', { canary: 1, maxUnavailable: 1, abortAfter: 1 }));
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
      expectLinkedThenGone(host.name, since, { from: 'cloudbr5', to: 'cloudbr6', uplinkIn: 'cloudbr5', gone: 'cloudbr6' });
    }
    expectVmsKeptTheirBridges(since);
  }, 300_000);
});
