import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineHarness } from '../support/pipeline-harness';

const CLOUD_INIT = '/etc/netplan/50-cloud-init.yaml';

/**
 * cloud-init's netplan file binding the management NIC by MAC, without set-name: the device id is only a handle,
 * the NIC is the one whose MAC it names. Facts read the MAC from `ip -j -d link`, the run moves the file aside.
 */
describe("a netplan file that binds the host's NIC by MAC only", () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 1, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0', DRIFT_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('is moved aside by the run as a config of the NIC hostnet manages, and a re-run leaves everything alone', async () => {
    const { kvm, id } = h.host('kvm1');
    const path = join(kvm.rootDir, CLOUD_INIT);
    const installed = readFileSync(path, 'utf8');
    const nic = /^ {4}(\S+):$/m.exec(installed)![1]!;
    // the simulated host's MAC for a NIC (apps/simulator/src/kvm-host/standins/ip-render.js)
    const mac = `52:54:00:${[...createHash('md5').update(nic).digest().subarray(0, 3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
    writeFileSync(path, installed.replace(`    ${nic}:\n`, `    primary:\n      match:\n        macaddress: '${mac.toUpperCase()}'\n`));

    expect((await h.configure(id, { requestedBy: 'first' })).body.enqueued).toBe(true);
    const first = await h.waitForPhase(id, 'enabled', 'first', 90_000);
    const applied = [first.latest, ...first.history].find((r) => r.outcome?.status === 'applied')!;
    expect(applied.outcome?.diff?.files).toContainEqual(expect.objectContaining({ path: CLOUD_INIT, change: 'delete', reason: expect.stringMatching(new RegExp(`configures ${nic}, which hostnet manages`)) }));
    expect(existsSync(path)).toBe(false);

    expect((await h.configure(id, { requestedBy: 'again' })).body.enqueued).toBe(true);
    const again = await h.waitForPhase(id, 'enabled', 'again', 90_000);
    expect([again.latest, ...again.history].find((r) => r.trigger?.by === 'again' && r.outcome)?.outcome?.status).toBe('no-op');
  }, 120_000);
});
