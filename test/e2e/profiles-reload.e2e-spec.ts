import { readFileSync, writeFileSync } from 'node:fs';
import { HostSpecService } from '@hostnet/host-spec';
import { PipelineHarness } from '../support/pipeline-harness';
import { API_MAIN, ensureBuiltApps, WORKER_MAIN, WorkerProcess } from '../support/worker-process';

/**
 * Reloading HOSTNET_PROFILES in a running api (POST /profiles/reload, SIGHUP). The worker holds no
 * profiles (api stores each run's spec), so a reload in api is what the next run applies.
 */
describe('profiles reloaded without a restart', () => {
  let h: PipelineHarness;
  let file: string;
  let original: string;
  const apiProfiles = () => h.api.get(HostSpecService).profiles;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
    file = h.env.HOSTNET_PROFILES!;
    original = readFileSync(file, 'utf8');
  }, 30_000);
  afterAll(async () => h?.stop());

  it('needs the API token', async () => {
    const res = await fetch(`${h.apiUrl}/profiles/reload`, { method: 'POST' });
    expect(res.status).toBe(401);
  });

  it('refuses an invalid file with a 422 naming the file and the field, and keeps the previous profiles', async () => {
    const before = apiProfiles();
    writeFileSync(file, original.replace('hostDomain: mylab.local', 'hostDomain: -not a domain-'));
    const res = await h.request<{ message: string; file: string; issues: { path: string; message: string }[] }>('POST', '/profiles/reload');
    expect(res.status).toBe(422);
    expect(res.body.file).toBe(file);
    expect(res.body.issues.map((i) => i.path)).toContain('profiles.linux-bridge.hostDomain');
    expect(res.body.message).toContain(`${file}: profiles.linux-bridge.hostDomain:`);
    expect(res.body.message).toMatch(/the previous profiles stay in use/);
    expect(apiProfiles()).toBe(before);
    // Hosts are still derived from the old set.
    const { id } = h.host('kvm1');
    expect((await h.configure(id, { dryRun: true, requestedBy: 'reload-e2e' })).status).toBe(202);
  });

  it('swaps in a valid file on POST /profiles/reload, and the next run applies it without the worker being told', async () => {
    const { id } = h.host('kvm1');
    const before = await h.waitForPhase(id, 'dry-run', 'reload-e2e');
    writeFileSync(file, original.replace('hostDomain: mylab.local', 'hostDomain: reloaded.example'));
    const res = await h.request<{ reloaded: boolean; file: string; profiles: number; hosts: number }>('POST', '/profiles/reload');
    expect(res).toEqual({ status: 200, body: expect.objectContaining({ reloaded: true, file, profiles: 2, hosts: 1 }) });
    expect(apiProfiles().profiles['linux-bridge']!.hostDomain).toBe('reloaded.example');
    expect(() => h.worker!.get(HostSpecService)).toThrow();
    expect((await h.configure(id, { dryRun: true, requestedBy: 'reload-e2e-after' })).status).toBe(202);
    const { latest } = await h.waitForPhase(id, 'dry-run', 'reload-e2e-after');
    expect(latest.specHash).not.toBe(before.latest.specHash);
    expect(latest.outcome?.specHash).toBe(latest.specHash);
  });

  it('SIGHUP reloads api', async () => {
    writeFileSync(file, original.replace('hostDomain: mylab.local', 'hostDomain: hup.example'));
    process.emit('SIGHUP', 'SIGHUP');
    await h.until('api reloaded', async () => (apiProfiles().profiles['linux-bridge']!.hostDomain === 'hup.example' ? true : undefined), 5_000);
  });

  it('a real kill -HUP leaves the built worker running and says it holds no profiles', async () => {
    ensureBuiltApps();
    const worker = WorkerProcess.start({ ...h.env, LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' }, WORKER_MAIN);
    try {
      await worker.waitForLine(/worker started/);
      process.kill(worker.pid, 'SIGHUP');
      await worker.waitForLine(/SIGHUP ignored: the worker holds no profiles/);
      process.kill(worker.pid, 'SIGHUP');
      await new Promise((r) => setTimeout(r, 500));
      expect(worker.output.filter((l) => /SIGHUP ignored/.test(l))).toHaveLength(2);
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it.each([['api', API_MAIN, /api listening on/]])('a real kill -HUP reloads the built %s and leaves it running (Nest shutdown hooks no longer take SIGHUP)', async (_app, main, ready) => {
    ensureBuiltApps();
    const app = WorkerProcess.start({ ...h.env, API_PORT: '0', LOG_LEVEL: 'log', LOG_FORMAT: 'pretty' }, main);
    try {
      await app.waitForLine(ready);
      writeFileSync(file, original.replace('hostDomain: mylab.local', 'hostDomain: -broken-'));
      process.kill(app.pid, 'SIGHUP');
      await app.waitForLine(/profile reload \(SIGHUP\) failed; the previous profiles stay in use: .*profiles\.yaml/);
      writeFileSync(file, original);
      process.kill(app.pid, 'SIGHUP');
      await app.waitForLine(/profiles reloaded \(SIGHUP\) from .*profiles\.yaml: 2 profiles, 1 selectors, 1 hosts/);
    } finally {
      await app.stop();
    }
  }, 60_000);
});
