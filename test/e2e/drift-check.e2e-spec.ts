import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DriftCheckerService } from '../../apps/api/src/drift/drift-checker.service';
import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

describe('drift check: a read-only dry-run of an Enabled host marks it drifted and clears it', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // Passes are driven by hand (DRIFT_INTERVAL_MS=0 keeps the timer off); the poller configures the host.
    h = await PipelineHarness.start({ hosts: 1, env: { DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  /** Runs a drift pass and waits for the drift record of the check it started. */
  async function driftPass(id: string): Promise<HostStatusRecord> {
    const since = new Date().toISOString();
    const summary = await h.api.get(DriftCheckerService).checkAll({ intervalMs: 0 });
    expect(summary.started).toEqual([id]);
    const view = await h.until('a drift record', async () => {
      const v = await h.view(id);
      return v?.latest.trigger?.kind === 'drift' && v.latest.at > since ? v : undefined;
    });
    return view.latest;
  }

  it('finds a file changed behind its back, changes nothing, and clears once the file is back', async () => {
    const { kvm, id } = h.host('kvm1');
    const { history } = await h.waitForPhase(id, 'enabled', undefined, 30_000);
    // A file hostnet wrote when it configured the host (whatever the persona's target).
    const written = history.flatMap((r) => r.outcome?.diff?.files ?? []).find((f) => f.change !== 'delete');
    expect(written).toBeDefined();
    const hostPath = written!.path;
    const path = join(kvm.rootDir, hostPath);
    const original = readFileSync(path, 'utf8');

    // Someone edits hostnet's file by hand.
    writeFileSync(path, original + '# edited by hand\n');
    const files = snapshotFiles(kvm.rootDir);
    const live = kvm.readLiveState();
    const mutations = h.zone.cloudstack.calls.mutations().length;
    const execs = kvm.stats.execs;

    const drifted = await driftPass(id);
    expect(drifted).toMatchObject({ phase: 'enabled', drifted: true, trigger: { kind: 'drift' } });
    const file = drifted.outcome?.diff?.files.find((f) => f.path === hostPath);
    expect(file).toMatchObject({ change: 'update' });
    expect(file?.unified).toContain('edited by hand');
    expect(drifted.reason).toContain(hostPath);
    expect(drifted.outcome?.roundTrips).toMatchObject({ facts: 1, total: 1 });

    // Read-only: one exec, not a byte written, same live network, nothing asked of CloudStack.
    expect(kvm.stats.execs - execs).toBe(1);
    expect(snapshotChanges(files, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(kvm.readLiveState()).toEqual(live);
    expect(h.zone.cloudstack.calls.mutations()).toHaveLength(mutations);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Enabled');

    // API, metrics, dashboard.
    const list = await h.request<HostStatusRecord[]>('GET', '/hosts?drifted=true');
    expect(list.body.map((r) => r.hostId)).toEqual([id]);
    const metrics = await fetch(`${h.apiUrl}/metrics`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } }).then((r) => r.text());
    expect(metrics).toMatch(/^hostnet_drifted_hosts({[^}]*})? 1$/m);

    // The dashboard lists it under attention as drifted (its cache may lag by a moment).
    await h.until('the dashboard to show drift', async () => {
      const html = await fetch(`${h.apiUrl}/dashboard`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } }).then((r) => r.text());
      return /class="badge">drifted</.test(html) ? html : undefined;
    }, 10_000);

    // The file is put back: the next pass clears drift, still without writing anything.
    writeFileSync(path, original);
    const restored = snapshotFiles(kvm.rootDir);
    const clean = await driftPass(id);
    expect(clean).toMatchObject({ phase: 'enabled', drifted: false });
    expect(clean.outcome?.diff?.files.every((f) => f.change === 'same')).toBe(true);
    expect(snapshotChanges(restored, snapshotFiles(kvm.rootDir))).toEqual([]);
    expect(h.zone.cloudstack.calls.mutations()).toHaveLength(mutations);
    expect((await h.request<HostStatusRecord[]>('GET', '/hosts?drifted=true')).body).toEqual([]);
    const after = await fetch(`${h.apiUrl}/metrics`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } }).then((r) => r.text());
    expect(after).toMatch(/^hostnet_drifted_hosts({[^}]*})? 0$/m);
  }, 90_000);
});
