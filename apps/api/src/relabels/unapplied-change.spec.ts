import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { buildZone } from '../../../../libs/relabel/test-support/zone-builder';
import { centosOvsIntent } from '../../../../libs/render/test/fixtures/reference-intents';
import { dropPrefix } from '../../../../test/support/redis-dump';
import { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { RelabelHolds } from './relabel-holds';
import { DIFF_BASIS, UNAPPLIED_BASIS } from './relabel-host-diff';
import { RelabelHostDiffService } from './relabel-host-diff.service';
import { RelabelRolloutStore } from './relabel-rollout.store';
import type { RelabelRunnerService } from './relabel-runner.service';
import { RelabelZoneLock } from './relabel-zone-lock';
import { RelabelsService, RolloutConflictError } from './relabels.service';
import { unappliedChange } from './unapplied-change';

const at = '2026-12-07T10:00:00.000Z';
const run = (fields: Partial<HostStatusRecord>): HostStatusRecord => ({ hostId: 'h', hostName: 'h', zoneId: 'z', phase: 'enabled', specHash: 'v1', at, ...fields });
const BOND_DIFF = { files: [{ path: '/etc/sysconfig/network-scripts/ifcfg-bond1', change: 'update' as const, unified: '-BONDING_OPTS="mode=active-backup miimon=100"\n+BONDING_OPTS="mode=active-backup miimon=200"\n' }], live: [] };
const dryRun = (fields: Partial<HostStatusRecord>) => run({ dryRun: true, outcome: { status: 'dry-run', diff: BOND_DIFF }, ...fields });

describe('unappliedChange: what a host holds less than its intent now, from its newest record that read it', () => {
  const plain = () => 'v2';
  it('a run of another spec than the one the host gets now: changed since, by spec', () => {
    expect(unappliedChange([run({})], 'v2', plain)?.what).toBe('its last run was of spec v1…, and the zone and profiles give it spec v2… now (a profile reload or a CloudStack change since)');
    expect(unappliedChange([run({ specHash: 'v2' })], 'v2', plain)).toBeUndefined();
  });
  it("a dry-run of the current spec decides by what it found, and brings its diff; one that did not read the host is passed over", () => {
    const found = unappliedChange([dryRun({ specHash: 'v2', drifted: true }), run({})], 'v2', plain);
    expect(found).toMatchObject({ what: 'a dry-run of its spec now found the host differs from it: update /etc/sysconfig/network-scripts/ifcfg-bond1', dryRun: { specHash: 'v2' } });
    expect(unappliedChange([dryRun({ specHash: 'v2', drifted: false }), run({})], 'v2', plain)).toBeUndefined();
    const unread = run({ dryRun: true, drifted: false, specHash: 'v2', outcome: { status: 'failed', reason: 'ssh: timeout' } });
    expect(unappliedChange([unread, run({})], 'v2', plain)?.what).toMatch(/^its last run was of spec v1…/);
  });
  it("a relabel step's record is compared with its own spec re-derived; an unknown rollout or a run in flight tells nothing", () => {
    const step = run({ specHash: 'new-r1', relabel: { rolloutId: 'r1', layout: 'new', restartAgent: true } });
    const specNow = (r: HostStatusRecord) => (r.relabel ? (r.relabel.rolloutId === 'r1' ? 'new-r1' : undefined) : 'v2');
    expect(unappliedChange([step, run({})], 'v2', specNow)).toBeUndefined();
    expect(unappliedChange([{ ...step, relabel: { ...step.relabel!, rolloutId: 'gone' } }], 'v2', specNow)).toBeUndefined();
    expect(unappliedChange([run({ phase: 'applying', specHash: 'v2' }), run({ phase: 'failed', specHash: 'v2' }), run({})], 'v2', plain)?.what).toMatch(/spec v1…/);
    expect(unappliedChange([], 'v2', plain)).toBeUndefined();
  });
});

describe('a relabel over hosts whose profile changed and was never applied (real Redis)', () => {
  const ZONE = buildZone({ clusterSizes: [2, 1] });
  const REQUEST = { zone: 'zone1', changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }] };
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `hostnet-unapplied-spec-${randomBytes(4).toString('hex')}`;
  const store = new RelabelRolloutStore(redis, prefix);
  const statuses = new HostStatusRepository(redis, prefix);
  const topologies = { get: async () => ZONE } as unknown as TopologyCache;
  let profiles = 'v1'; // the spec hash every host gets from the profiles loaded now
  const specs = { specFor: (_t: unknown, _id: string, relabel?: { layout: string; rolloutId: string }) => ({ specHash: relabel ? `${relabel.layout}-${relabel.rolloutId}` : profiles, intent: centosOvsIntent }) } as unknown as HostSpecService;
  const runners = { kick: () => undefined } as unknown as RelabelRunnerService;
  const service = new RelabelsService(topologies, specs, store, runners, new RelabelHolds(redis, prefix), new RelabelZoneLock(redis, prefix), statuses);
  const diffs = new RelabelHostDiffService(store, topologies, specs, statuses);
  const record = (index: number, fields: Partial<HostStatusRecord>) =>
    statuses.record({ hostId: ZONE.hosts[index]!.id, hostName: ZONE.hosts[index]!.name, zoneId: ZONE.zone.id, phase: 'enabled', outcome: { status: 'applied', target: 'el-network-scripts-ovs' }, at: new Date().toISOString(), ...fields } as never);

  afterAll(async () => {
    await dropPrefix(redis, prefix);
    await redis.quit();
  });

  it('refuses the plan naming the hosts and the change, plans it on purpose with a warning, and the host diff shows the change', async () => {
    for (const i of [0, 1, 2]) await record(i, { specHash: 'v1' });
    const clean = await service.plan(REQUEST);
    expect(clean.plan.warnings.map((w) => w.code)).not.toContain('drifted-hosts');
    await service.control(clean.id, 'abort');

    profiles = 'v2'; // bond1 miimon 100 → 200, POST /profiles/reload
    await expect(service.plan(REQUEST)).rejects.toThrow(/hosts\.kvm1: holds less than its intent now, beyond the relabel \(its last run was of spec v1…, and the zone and profiles give it spec v2… now/);
    // the drift checks: kvm2 and kvm3 differ (hostnet hosts --drifted), kvm1's files came out the same
    await record(0, { specHash: 'v2', dryRun: true, drifted: false, outcome: { status: 'dry-run', target: 'el-network-scripts-ovs', diff: { files: [], live: [] } } });
    for (const i of [1, 2]) await record(i, { specHash: 'v2', dryRun: true, drifted: true, outcome: { status: 'dry-run', target: 'el-network-scripts-ovs', diff: BOND_DIFF } });
    const refused = service.plan(REQUEST);
    await expect(refused).rejects.toThrow(
      /hosts\.kvm2: holds less than its intent now, beyond the relabel \(a dry-run of its spec now found the host differs from it: update \/etc\/sysconfig\/network-scripts\/ifcfg-bond1\): the rollout's expand would apply that too, unreviewed; fix: review it \(hostnet plan --host kvm2\), then apply it first \(hostnet configure --host kvm2\) or revert it \(the profile, then POST \/profiles\/reload\), and plan again; or include it on purpose: drifted "include" \(CLI --drifted include\)\n.*hosts\.kvm3: /,
    );
    await expect(service.plan(REQUEST)).rejects.not.toThrow(/kvm1/);

    const included = await service.plan({ ...REQUEST, drifted: 'include' });
    expect(included.plan.warnings.find((w) => w.code === 'drifted-hosts')).toMatchObject({ hostIds: [ZONE.hosts[1]!.id, ZONE.hosts[2]!.id], message: expect.stringMatching(/^2 host\(s\) in scope \(kvm2, kvm3\) hold changes beyond this relabel/) });
    expect((await store.get(included.id)).request.drifted).toBe('include');
    const kvm3 = await diffs.diff(included.id, 'kvm3');
    expect(kvm3.basis).toBe(UNAPPLIED_BASIS);
    expect(kvm3.unapplied).toEqual({ change: expect.stringMatching(/ifcfg-bond1/), files: BOND_DIFF.files, live: [] });
    const kvm1 = await diffs.diff(included.id, 'kvm1');
    expect(kvm1).not.toHaveProperty('unapplied');
    expect(kvm1.basis).toBe(DIFF_BASIS);

    // what was included is bound to the plan: a host drifting after it makes the start plan again
    await record(0, { specHash: 'v2', dryRun: true, drifted: true, outcome: { status: 'dry-run', target: 'el-network-scripts-ovs', diff: BOND_DIFF } });
    await expect(service.control(included.id, 'start')).rejects.toBeInstanceOf(RolloutConflictError);
    await expect(service.control(included.id, 'start')).rejects.toThrow(/the zone changed since rollout .* was planned \(plan hash/);
    const again = await service.plan({ ...REQUEST, drifted: 'include' });
    await expect(service.control(again.id, 'start')).resolves.toMatchObject({ state: 'running' });
    const started = await diffs.diff(again.id, 'kvm2');
    expect(started.unapplied?.change).toMatch(/^3 host\(s\) in scope \(kvm1, kvm2, kvm3\) hold changes beyond this relabel/);
    await store.update(again.id, (r) => void Object.assign(r, { state: 'aborted', phase: 'finished' }));
  });
});
