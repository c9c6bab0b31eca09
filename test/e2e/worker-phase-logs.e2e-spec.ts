import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PipelineHarness } from '../support/pipeline-harness';
import { editLive, withoutDefaultRoute } from '../support/sim-live-state';
import { RecordingLogger } from '../support/recording-logger';

/** One parsed `phase=…` line of the worker's processor. */
interface PhaseLine {
  level: string;
  fields: Record<string, string>;
}

describe('the worker logs each phase of a host run with job, host, run and attempt', () => {
  // api and worker share Nest's static logger in one process: one recorder sees both, filtered below.
  const log = new RecordingLogger('hostnet');
  let h: PipelineHarness;

  /** The processor's phase lines about `hostId`, in order, parsed into key=value fields. */
  const phaseLines = (hostId: string): PhaseLine[] =>
    log.lines
      .filter((line) => line.includes('[HostNetworkProcessor]') && line.includes(` hostId=${hostId} `))
      .map((line) => {
        const [, level = '', rest = ''] = /(LOG|WARN) +\[HostNetworkProcessor\] (.*)$/.exec(line.trimEnd()) ?? [];
        const fields: Record<string, string> = {};
        for (const [, key = '', value = ''] of rest.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) {
          fields[key] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
        }
        return { level, fields };
      });

  /** The lines of the one run whose outcome matches `status`, checking every line names job, host, run and attempt. */
  const runOf = (hostId: string, status: string): PhaseLine[] => {
    const all = phaseLines(hostId);
    const end = all.find((l) => l.fields.phase === 'outcome' && l.fields.status === status);
    expect(end).toBeDefined();
    const run = all.filter((l) => l.fields.runId === end!.fields.runId);
    for (const { fields } of run) {
      expect(fields).toMatchObject({ jobId: `host-${hostId}`, hostId, runId: expect.stringMatching(/^job-\S+$/), attempt: '1' });
    }
    return run;
  };

  const phases = (run: PhaseLine[]) => run.map((l) => (l.fields.state ? `${l.fields.phase}:${l.fields.state}` : l.fields.phase));

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204', 'centos7'], loggers: { api: log, worker: log } });
  }, 30_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('an applied run: facts, apply, verify, each step, the verify result, confirm, outcome', async () => {
    const kvm1 = h.host('kvm1');
    await h.waitForPhase(kvm1.id, 'enabled');
    const run = runOf(kvm1.id, 'applied');
    const order = phases(run);
    expect(order.slice(0, 3)).toEqual(['facts:started', 'apply:started', 'verify:started']);
    expect(order.slice(-3)).toEqual(['verify', 'confirm', 'outcome']);
    const steps = run.filter((l) => l.fields.phase === 'step');
    expect(steps.length).toBeGreaterThan(0);
    for (const step of steps) expect(step.fields).toMatchObject({ step: expect.any(String), exitCode: '0' });
    expect(run.find((l) => l.fields.phase === 'verify' && !l.fields.state)?.fields.ok).toBe('true');
    expect(run.find((l) => l.fields.phase === 'confirm')?.fields.confirmed).toBe('true');
  }, 40_000);

  it('a failing step is logged as a warning with its exit code', async () => {
    const kvm1 = h.host('kvm1');
    await h.waitForPhase(kvm1.id, 'enabled');
    // drift only netplan apply repairs: a forced run with nothing drifted applies nothing (a re-check)
    editLive(kvm1.kvm, withoutDefaultRoute);
    kvm1.kvm.faults.failCommand = /^netplan apply$/;
    await h.configure(kvm1.id, { force: true, requestedBy: 'e2e-phase-logs-step' });
    await h.waitForPhase(kvm1.id, 'failed', 'e2e-phase-logs-step');
    const run = runOf(kvm1.id, 'failed');
    const failed = run.filter((l) => l.fields.phase === 'step' && l.fields.exitCode !== '0');
    expect(failed).toEqual([expect.objectContaining({ level: 'WARN', fields: expect.objectContaining({ step: expect.stringMatching(/netplan/) }) })]);
    expect(run.at(-1)).toMatchObject({ level: 'WARN', fields: { phase: 'outcome', status: 'failed' } });
  }, 40_000);

  it('an unsupported OS fails once as permanent: no retry, one attempt logged', async () => {
    const kvm2 = h.host('kvm2');
    await h.waitForPhase(kvm2.id, 'enabled');
    writeFileSync(join(kvm2.kvm.rootDir, 'etc/os-release'), 'ID="centos"\nID_LIKE="rhel fedora"\nVERSION_ID="6"\n');
    await h.configure(kvm2.id, { force: true, requestedBy: 'e2e-phase-logs-os' });
    // api records `failed` only when the worker gives up: a transient error would get there at attempt 4.
    const view = await h.waitForPhase(kvm2.id, 'failed', 'e2e-phase-logs-os');
    expect(view.latest.reason).toMatch(/UnsupportedHostOsError: unsupported host OS .*EL releases before 7/);
    const run = runOf(kvm2.id, 'failed');
    expect(phases(run)).toEqual(['facts:started', 'outcome']);
    expect(run[1]).toMatchObject({ level: 'WARN', fields: { status: 'failed', permanent: 'true', retry: 'false' } });
  }, 40_000);
});
