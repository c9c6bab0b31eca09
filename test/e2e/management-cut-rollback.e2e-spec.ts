import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SshConnector } from '@hostnet/ssh';
import { HostPollerService } from '../../apps/api/src/poller/host-poller.service';
import { outsideEtc, snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

// debian12: its activation flushes addresses before each ifup, which the host's reachable-again test must survive
describe.each(['ubuntu2204', 'debian12'] as const)('%s: a config that cuts the management path is rolled back automatically', (persona) => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: [persona], env: { POLL_INTERVAL_MS: '0', HOSTNET_ROLLBACK_SECONDS: '2' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('ends rolled-back with the reason, the old files and live state back, and the host still Disabled', async () => {
    const { kvm, id } = h.host('kvm1');
    const config = snapshotFiles(kvm.rootDir, outsideEtc);
    const live = kvm.readLiveState();
    kvm.faults.loseManagementAfterApply = true;

    await h.configure(id, { requestedBy: 'e2e-cut' });
    // ~33 s: the 2 s timer, then the workflow's fixed 30 s grace (rollbackGraceMs) before it reconnects.
    const { latest } = await h.waitForPhase(id, 'rolled-back', 'e2e-cut', 60_000);

    // The reason is visible through the API, and says what happened.
    expect(latest.reason).toMatch(/unreachable after apply/);
    // the fix is about the layout that cut the management path, not about sshd
    expect(latest.reason).toMatch(/the new configuration most likely cut its management path; fix: check the profile's management bridge cloudbr0/);
    expect(latest.reason).not.toMatch(/MaxStartups/);
    expect(latest.reason).toMatch(/on-host timer restored the previous configuration/);
    expect(latest.outcome).toMatchObject({ status: 'rolled-back', rollback: { armedSeconds: 2, triggered: true } });
    // Never a passed verification on a rolled-back run; the restore's evidence is in rollback.restoreChecks.
    expect(latest.outcome?.verification).toMatchObject({ ok: false });
    expect((latest.outcome?.rollback as { restoreChecks?: { ok: boolean }[] }).restoreChecks?.every((c) => c.ok)).toBe(true);
    expect(kvm.stats.refusedConnections).toBeGreaterThan(0);

    // The host: old files (same content, nothing hostnet wrote left behind), old live state, reachable.
    expect(snapshotChanges(config, snapshotFiles(kvm.rootDir, outsideEtc), true)).toEqual([]);
    expect(kvm.readLiveState()).toEqual(live);
    const state = JSON.parse(readFileSync(join(kvm.rootDir, 'var/lib/hostnet/state.json'), 'utf8')) as { phase: string; appliedSpecHash: string };
    expect(state).toMatchObject({ phase: 'rolled-back', appliedSpecHash: '' });
    expect(kvm.reachable).toBe(true);
    const session = await new SshConnector().connect(
      { host: kvm.endpoint.host, port: kvm.endpoint.port, username: 'root', privateKeyPath: h.env.HOSTNET_SSH_KEY!, useSudo: false },
      { knownHostsPath: h.env.HOSTNET_KNOWN_HOSTS!, trustOnFirstUse: false, connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 },
    );
    try {
      await expect(session.exec('hostname')).resolves.toMatchObject({ code: 0, stdout: 'kvm1\n' });
    } finally {
      await session.close();
    }

    // CloudStack: never asked to reconnect or enable; the host stays Disabled.
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
    expect(h.zone.cloudstack.state.hosts[0]!.resourceState).toBe('Disabled');
    // …and the poller leaves a rolled-back spec to an operator instead of retrying it.
    const poll = await h.api.get(HostPollerService).pollZone(h.zone.cloudstack.state.hosts[0]!.zoneId);
    expect(poll).toMatchObject({ enqueued: [], skipped: 1 });
  }, 75_000);
});
