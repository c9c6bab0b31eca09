import { hostCli } from '../support/host-cli';
import { PipelineHarness } from '../support/pipeline-harness';

/** The CLI's host commands against api + worker + the CloudStack simulator: configure, list, show. */
describe('hostnet configure, hosts and host', () => {
  let h: PipelineHarness;
  const cli = (argv: string[]) => hostCli(h, argv);

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204'], env: { POLL_INTERVAL_MS: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  it('configures one host by name (in any case), lists it in its zone, and shows its run with the history', async () => {
    const { id } = h.host('kvm1');
    const started = await cli(['configure', '--host', 'KVM1', '--requested-by', 'cli-e2e']);
    expect(started).toMatchObject({ code: 0, stderr: '' });
    expect(started.stdout).toMatch(new RegExp(`^kvm1: apply queued, run \\S+ \\(hostnet host --host ${id} shows its result\\)\\n$`));
    await h.waitForPhase(id, 'enabled', 'cli-e2e');

    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const list = await cli(['hosts', '--zone', zone.toUpperCase()]);
    expect(list.code).toBe(0);
    const [header, row, ...rest] = list.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^NAME +ZONE +CLUSTER +PHASE +DRIFTED +AT +REASON$/);
    // a verified run found or made the host as its intent: not drifted
    expect(row).toMatch(new RegExp(`^kvm1 +${zone} +\\S+ +enabled +no +\\S+$`));
    expect(rest).toEqual([]);
    expect((await cli(['hosts', '--phase', 'failed'])).stdout).toBe('no host is in phase failed\n');
    // a zone or cluster none of its hosts is in is a typo, said as plan and configure say theirs
    const typo = await cli(['hosts', '--zone', 'zone9']);
    expect(typo).toMatchObject({ code: 2, stdout: '', stderr: `hostnet hosts: --zone "zone9" names no zone of a host hostnet has run; its hosts are in zones ${zone} (hostnet plan --zone Z dry-runs every host of a zone CloudStack knows)\n` });
    // a script reads the same typo as an error, not as an empty zone
    expect(await cli(['hosts', '--zone', 'zone9', '--json'])).toMatchObject({ code: 2, stdout: '', stderr: typo.stderr });
    expect((await cli(['hosts', '--cluster', 'cluster9'])).stderr).toMatch(/^hostnet hosts: --cluster "cluster9" names no cluster of a host hostnet has run; its hosts are in clusters \S+ \(hostnet topology --zone Z lists a zone's clusters as CloudStack knows them\)\n$/);

    const shown = await cli(['host', '--host', 'kvm1']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^kvm1 \\(id ${id}\\), ${zone} / \\S+\\nphase: enabled at \\S+, run \\S+, trigger operator by cli-e2e\\n`));
    expect(shown.stdout).toMatch(/\nlast run: applied, target netplan-linux, verification ok \(\d+ checks\)\nfiles: [1-9]\d* changed, \d+ the same; live differences: \d+/);
    expect(shown.stdout).toMatch(/\nsteps run: \S+/);
    expect(shown.stdout).toMatch(/\nhistory \(newest first\):\n {2}\S+ {2}enabled\n {2}\S+ {2}verified\n {2}\S+ {2}applying\n {2}\S+ {2}queued\n$/);
  }, 90_000);

  it('a dry-run of the zone runs on both hosts; a second apply while one is in flight says it joined; a missing host is api\'s 404', async () => {
    const zone = h.zone.cloudstack.state.zones[0]!.name;
    const dry = await cli(['configure', '--zone', zone, '--dry-run', '--requested-by', 'cli-dry']);
    expect(dry.code).toBe(0);
    expect(dry.stdout.trimEnd().split('\n').map((l) => l.replace(/, run \S+ /, ', run R '))).toEqual([
      `kvm1: dry-run queued, run R (hostnet host --host ${h.host('kvm1').id} shows its result)`,
      `kvm2: dry-run queued, run R (hostnet host --host ${h.host('kvm2').id} shows its result)`,
    ]);
    for (const name of ['kvm1', 'kvm2']) await h.waitForDryRun(h.host(name).id, 'cli-dry');
    // kvm2 is not configured yet: its dry-run lists the commands an apply would run
    const dryView = await cli(['host', '--host', 'kvm2']);
    expect(dryView.stdout).toMatch(/\nsteps an apply would run after writing the files \([1-9]\d*\):\n {2}\S+: \S+/);

    const { id } = h.host('kvm2');
    const first = await cli(['configure', '--host', id]);
    const second = await cli(['configure', '--host', id]);
    expect(first.code).toBe(0);
    expect(second).toMatchObject({ code: 0, stdout: expect.stringMatching(/^kvm2: joined run \S+: an apply of this host \(run \S+\) was already queued or running: this request joined it/) });
    await h.waitForPhase(id, 'enabled');

    const missing = await cli(['host', '--host', 'kvm404']);
    expect(missing).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^hostnet host: GET \/hosts\/kvm404 answered 404: hostnet has no record of a host with id or name "kvm404"/) });
    expect((await cli(['configure', '--host', 'kvm1', '--zone', zone])).stderr).toMatch(/give exactly one of --host, --cluster or --zone \(got --host, --zone\)/);
  }, 120_000);
});
