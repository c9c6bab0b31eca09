import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RelabelRollouts } from '../support/relabel-rollouts';

/**
 * What POST /relabels refuses before anything changes, and what it no longer refuses, on a zone shaped
 * like the demo's: cluster1 = kvm1 (Open vSwitch), kvm2, kvm3 (Linux bridge); cluster2 = kvm4 (Open
 * vSwitch), kvm5 (Linux bridge). Every host first configured and enabled by the normal pipeline.
 */
describe('relabel plan guards on the simulated zone', () => {
  let r: RelabelRollouts;
  const messages = (body: unknown) => ((body as { message?: string[] | string }).message ?? []).toString();

  beforeAll(async () => {
    r = await RelabelRollouts.start({ hosts: 5, clusters: 2, personas: ['centos7', 'rocky9', 'debian12'] }, 180_000);
  }, 240_000);
  afterAll(async () => r?.stop());

  it('refuses a Storage relabel the OVS hosts cannot expand (cloudbr100 is a fake bridge there), by host, before any host changed', async () => {
    const since = new Date();
    const res = await r.plan({ zone: 'zone1', changes: [{ physicalNetwork: 'physnet1', trafficType: 'Storage', newLabel: 'cloudbr101' }], requestedBy: 'e2e' });
    expect(res.status).toBe(400);
    for (const host of ['kvm1', 'kvm4']) {
      expect(messages(res.body)).toMatch(new RegExp(`(?:hosts\\.kvm\\d, )*hosts\\.${host}(?:, hosts\\.kvm\\d)*: "both" is a layout of this rollout that cannot be built on this host \\(.*"cloudbr100" is an OVS fake bridge .*its expand layout is not built yet`));
    }
    expect(messages(res.body)).not.toMatch(/hosts\.kvm[235]: "both"/);
    expect(r.mutations(since)).toEqual([]);
  });

  it("refuses a relabel over an invalid current label by that label's CloudStack field and fix, not by a guess at the hosts' backend", async () => {
    const publicTraffic = r.h.zone.cloudstack.state.trafficTypes.find((t) => t.trafficType === 'Public')!;
    const original = publicTraffic.kvmNetworkLabel;
    publicTraffic.kvmNetworkLabel = 'cloud br0;rm';
    try {
      const since = new Date();
      const res = await r.plan(RelabelRollouts.publicTo('cloudbr6'));
      expect(res.status).toBe(400);
      expect(messages(res.body)).toMatch(/no network intent of kvm1, kvm2, kvm3, kvm4, kvm5 can be built, so the rollout cannot plan their steps: topology\.physicalNetworks\[1\]\.trafficTypes\[0\]\.\w*[lL]abel: "cloud br0;rm" \(Public label of physical network "physnet2"\) .*; fix: set the KVM traffic label in CloudStack to a valid bridge name/);
      expect(messages(res.body)).not.toMatch(/Linux bridges|scope:/);
      expect(r.mutations(since)).toEqual([]);
    } finally {
      publicTraffic.kvmNetworkLabel = original;
    }
  });

  it('refuses a relabel of a label the profiles find an uplink by, naming host, profile entry and fix, before any host changed', async () => {
    const file = r.h.env.HOSTNET_PROFILES!;
    const original = readFileSync(file, 'utf8');
    expect(original).toContain('physicalNetwork: physnet2');
    writeFileSync(file, original.replaceAll('physicalNetwork: physnet2', 'label: cloudbr1'));
    try {
      expect((await r.h.request('POST', '/profiles/reload')).status).toBe(200);
      const since = new Date();
      const res = await r.plan(RelabelRollouts.publicTo('cloudbr9'));
      expect(res.status).toBe(400);
      for (const [host, profile] of [['kvm1', 'openvswitch'], ['kvm2', 'linux-bridge'], ['kvm5', 'linux-bridge']]) {
        expect(messages(res.body)).toMatch(new RegExp(`(?:hosts\\.kvm\\d, )*hosts\\.${host}(?:, hosts\\.kvm\\d)*: "profiles\\.${profile}\\.networks\\[1\\]\\.match\\.label cloudbr1" finds the uplink of physical network physnet2 by a label this rollout changes to cloudbr9, so after the flip no spec of this host can be derived \\(.*has no uplink.*\\); fix: match it by physical network instead: match: \\{ physicalNetwork: "physnet2" \\}`));
      }
      expect(r.mutations(since)).toEqual([]);
    } finally {
      writeFileSync(file, original);
      expect((await r.h.request('POST', '/profiles/reload')).status).toBe(200);
    }
  });

  it('refuses to plan over a host whose latest run failed, naming it, its reason and the fix, and plans once a run of it verified', async () => {
    const { kvm, id } = r.h.host('kvm3');
    const setMtu = (mtu: number) => execFileSync('node', [join(kvm.rootDir, '.sim/lib/ip.js'), 'link', 'set', 'dev', 'bond1', 'mtu', String(mtu)]);
    setMtu(9000); // raised by hand: the profile's 1500 would lower it, which a run refuses
    try {
      expect((await r.h.configure(id, { requestedBy: 'e2e-jumbo' })).status).toBe(202);
      const failed = (await r.h.waitForPhase(id, 'failed', 'e2e-jumbo', 90_000)).latest;
      const since = new Date();
      const res = await r.plan(RelabelRollouts.publicTo('cloudbr9'));
      expect(res.status).toBe(400);
      expect(messages(res.body)).toMatch(/hosts\.kvm3: "failed" is the phase of this host's latest hostnet run \(.*would lower eth2 from 9000 to 1500.*\), so the rollout's first step on it would most likely fail the same way.*fix: fix what that run names, then run the host again \(hostnet configure --host kvm3/s);
      expect(messages(res.body)).toContain(failed.reason!.replace(/\s+/g, ' ').trim().slice(0, 40));
      expect(messages(res.body)).not.toMatch(/hosts\.kvm[1245]/);
      expect(r.mutations(since)).toEqual([]);
    } finally {
      setMtu(1500);
    }
    expect((await r.h.configure(id, { requestedBy: 'e2e-jumbo-fixed' })).status).toBe(202);
    await r.h.waitForPhase(id, 'enabled', 'e2e-jumbo-fixed', 90_000);
    await r.h.waitForNoRun(id);
    const again = await r.plan(RelabelRollouts.publicTo('cloudbr9'));
    expect([again.status, messages(again.body)]).toEqual([201, '']);
    expect((await r.h.request('POST', `/relabels/${again.body.id}/abort`, {})).status).toBe(202);
  }, 300_000);

  it('a host left behind plans again once a run put it on the current labels, even after an aborted rollout, and once a done rollout moved it', async () => {
    const kvm1 = r.h.host('kvm1').id;
    // cluster2 moves to cloudbr5; cluster1 (kvm1–3) is left behind on cloudbr1
    const left = await r.plan({ ...RelabelRollouts.publicTo('cloudbr5'), scope: ['cluster2'], outOfScope: 'leave-behind' });
    expect(left.status).toBe(201);
    expect((await r.h.request('POST', `/relabels/${left.body.id}/start`, {})).status).toBe(202);
    expect((await r.finished(left.body.id)).state).toBe('done');
    const refused = await r.plan(RelabelRollouts.publicTo('cloudbr6'));
    expect([refused.status, messages(refused.body)]).toEqual([400, expect.stringMatching(new RegExp(`hosts\\.kvm1: "${left.body.id}" is the rollout that left this host behind`))]);

    // kvm1's diff names the fix that works: not a rollout of its own (refused: cloudbr5 is already the Public label), a run
    const diff = await r.h.request('GET', `/relabels/${left.body.id}/hosts/kvm1/diff`);
    expect([diff.status, messages(diff.body)]).toEqual([404, expect.stringMatching(new RegExp(`fix: the label is cloudbr5 now and the host's own spec names it: .*hostnet configure --host kvm1 \\(POST /hosts/${kvm1}/configure\\)$`))]);
    const ownRollout = await r.plan({ ...RelabelRollouts.publicTo('cloudbr5'), scope: ['cluster1'] });
    expect([ownRollout.status, messages(ownRollout.body)]).toEqual([400, expect.stringMatching(/cloudbr5/)]);

    // the fix, for each: configure --cluster cluster1: each host on cloudbr5, enabled
    for (const name of ['kvm1', 'kvm2', 'kvm3']) expect((await r.h.configure(r.h.host(name).id, { requestedBy: 'e2e-catch-up' })).status).toBe(202);
    for (const name of ['kvm1', 'kvm2', 'kvm3']) {
      await r.h.until(`${name} on cloudbr5 and enabled`, async () => {
        const latest = (await r.h.view(r.h.host(name).id))?.latest;
        return latest?.phase === 'enabled' && r.h.host(name).kvm.readLiveState().links.some((l) => l.name === 'cloudbr5') ? true : undefined;
      }, 120_000);
      await r.h.waitForNoRun(r.h.host(name).id);
    }

    // a whole-zone rollout aborted once kvm1 expanded: its restore records are the latest, bound to it
    const aborted = await r.plan(RelabelRollouts.publicTo('cloudbr6'));
    expect(aborted.status).toBe(201);
    expect((await r.h.request('POST', `/relabels/${aborted.body.id}/start`, {})).status).toBe(202);
    await r.h.until('kvm1 expanded', async () => ((await r.get(aborted.body.id)).hosts[kvm1]?.layout === 'both' ? true : undefined), 120_000);
    expect((await r.h.request('POST', `/relabels/${aborted.body.id}/abort`, {})).status).toBe(202);
    expect((await r.finished(aborted.body.id)).state).toBe('aborted');
    expect((await r.h.view(kvm1))!.latest.relabel?.rolloutId).toBe(aborted.body.id);

    const again = await r.plan(RelabelRollouts.publicTo('cloudbr6'));
    expect([again.status, messages(again.body)]).toEqual([201, '']);
    expect((await r.h.request('POST', `/relabels/${again.body.id}/start`, {})).status).toBe(202);
    const done = await r.finished(again.body.id);
    expect([done.state, done.reason]).toEqual(['done', undefined]);

    // every host moved by that done rollout: its contract records are the latest, bound to it
    const next = await r.plan(RelabelRollouts.publicTo('cloudbr7'));
    expect([next.status, messages(next.body)]).toEqual([201, '']);
    expect((await r.h.request('POST', `/relabels/${next.body.id}/abort`, {})).status).toBe(202);
  }, 600_000);

  it('an abort after the flip leaves every host it enabled again recorded enabled, not verified', async () => {
    const since = new Date();
    const planned = await r.plan(RelabelRollouts.publicTo('cloudbr8'));
    expect(planned.status).toBe(201);
    expect((await r.h.request('POST', `/relabels/${planned.body.id}/start`, {})).status).toBe(202);
    await r.h.until('the flip', async () => (r.mutations(since).some((c) => c.command === 'updateTrafficType') ? true : undefined), 120_000);
    expect((await r.h.request('POST', `/relabels/${planned.body.id}/abort`, {})).status).toBe(202);
    const aborted = await r.finished(planned.body.id);
    expect([aborted.state, aborted.reason]).toEqual(['aborted', expect.stringMatching(/aborted by/)]);
    const enabled = r.mutations(since).filter((c) => c.command === 'updateHost' && c.params['allocationstate'] === 'Enable').map((c) => r.nameOf(c.params['id']!));
    expect(enabled.sort()).toEqual(['kvm2', 'kvm3', 'kvm5']); // the Linux hosts the freeze disabled
    const { body } = await r.h.request<{ hostName: string; phase: string }[]>('GET', '/hosts');
    for (const host of r.h.zone.cloudstack.state.hosts) expect(host).toMatchObject({ state: 'Up', resourceState: 'Enabled' });
    expect(body.map((s) => [s.hostName, s.phase]).sort()).toEqual(['kvm1', 'kvm2', 'kvm3', 'kvm4', 'kvm5'].map((n) => [n, 'enabled']));
  }, 300_000);
});
