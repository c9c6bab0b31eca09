import { PLAN_USAGE, planCommand } from '../../apps/cli/src/commands/plan.command';
import { runCli } from '../../apps/cli/src/main';
import { snapshotChanges, snapshotFiles } from '../support/host-files';
import { PipelineHarness } from '../support/pipeline-harness';

/** `hostnet plan` against api + worker + the CloudStack simulator: a dry-run of the whole zone, nothing changed. */
describe('hostnet plan: dry-run every host of a zone, summary table, detailed exit code', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    // Poller off: the hosts only ever see plan's dry-runs.
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('exits 2 for fresh hosts (everything would change) and leaves them untouched', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const kvms = [...h.zone.hosts.values()];
    const before = kvms.map((kvm) => snapshotFiles(kvm.rootDir));
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['plan', '--api-url', h.apiUrl, '--zone', zone, '--timeout', '60'], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, {
      plan: { run: planCommand({ env: () => ({ API_TOKEN: h.env.API_TOKEN }), pollIntervalMs: 100 }), usage: PLAN_USAGE },
    });

    const lines = out.join('').trimEnd().split('\n');
    expect({ code, stderr: err.join('') }).toEqual({ code: 2, stderr: expect.stringMatching(/^hostnet plan: dry-run running on 2 of 2 host\(s\) of zone \S+; waiting up to \d+ s\n/) });
    expect(lines[0]).toMatch(/^HOST +TARGET +FILES CHANGED +LIVE DIFFERENCES +VERDICT$/);
    expect(lines[1]).toMatch(/^kvm1 +netplan-linux +[1-9]\d* +[1-9]\d* +changes$/);
    expect(lines[2]).toMatch(/^kvm2 +netplan-linux +[1-9]\d* +[1-9]\d* +changes$/);
    expect(lines[3]).toBe(`zone ${zone}: 2 hosts, 0 no change, 2 with changes, 0 errors`);
    expect(kvms.map((kvm, i) => snapshotChanges(before[i]!, snapshotFiles(kvm.rootDir)))).toEqual([[], []]);
    expect(h.zone.cloudstack.calls.mutations()).toEqual([]);
  }, 90_000);
});
