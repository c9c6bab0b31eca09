import type { ApplyOutcomeSummary, ConfigureHostJobData, ReportResultJobData } from '@hostnet/contracts';
import type { AddHostCompletionService } from '../add-host/add-host-completion.service';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import type { HostEnableService } from '../jobs/host-enable.service';
import { HostResultsService } from '../jobs/host-results.service';
import type { EnabledSightings } from '../runs/enabled-sightings';
import type { ResultSpecCheck } from '../jobs/result-spec.check';
import type { RunMetrics } from '../metrics/run-metrics';
import type { HostLock } from '../runs/host-lock';
import type { HostRunRegistry, InFlightRun } from '../runs/host-run.registry';
import { DriftApplyRefusedError, driftRecord } from './drift-result';

const same = { files: [{ path: '/etc/netplan/50-hostnet.yaml', change: 'same' as const }], live: [] };
const changed = {
  files: [{ path: '/etc/netplan/50-hostnet.yaml', change: 'update' as const, unified: '-  mtu: 9000\n+  mtu: 1500' }],
  live: [],
};
const enabled: HostStatusRecord = { hostId: 'h1', hostName: 'kvm1', zoneId: 'z1', phase: 'enabled', clusterId: 'c1', at: '2024-01-01T00:00:00Z' };

function request(mode: 'apply' | 'dry-run' = 'dry-run'): ConfigureHostJobData {
  return { zoneId: 'z1', hostId: 'h1', hostName: 'kvm1', specHash: 's', mode, force: false, trigger: { kind: 'drift' }, requestId: 'run1', requestedAt: new Date().toISOString() };
}

function setup(previous: HostStatusRecord | undefined, mode: 'apply' | 'dry-run' = 'dry-run') {
  const records: HostStatusRecord[] = [];
  let latest = previous;
  const run: InFlightRun = { runId: 'run1', jobId: 'host-h1', mode, specHash: 's', at: new Date().toISOString(), trigger: 'drift' };
  const enable = jest.fn();
  const complete = jest.fn();
  const service = new HostResultsService(
    { latest: async () => latest, history: async () => [...records].reverse(), record: async (r: HostStatusRecord) => void (records.push(r), (latest = r)), recordRejected: jest.fn() } as unknown as HostStatusRepository,
    { enable } as unknown as HostEnableService,
    { complete } as unknown as AddHostCompletionService,
    { withLock: (_id: string, fn: () => Promise<unknown>) => fn() } as unknown as HostLock,
    { current: async () => run, bindResult: async () => run, release: async () => true } as unknown as HostRunRegistry,
    { observe: jest.fn() } as unknown as RunMetrics,
    { check: jest.fn(), rerun: jest.fn() } as unknown as ResultSpecCheck,
    { lastAt: async () => undefined } as unknown as EnabledSightings,
  );
  const report = (outcome: ApplyOutcomeSummary): Promise<unknown> =>
    service.handle({ configureJobId: 'host-h1', request: request(mode), outcome, finishedAt: new Date().toISOString(), attempts: 1 } as ReportResultJobData, 'res1', true);
  return { report, records, enable, complete };
}

describe('drift check results', () => {
  it('mark a host drifted with the diff, keeping it enabled, and never enable or apply', async () => {
    const { report, records, enable, complete } = setup(enabled);
    await expect(report({ status: 'dry-run', diff: changed })).resolves.toBe('enabled');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ phase: 'enabled', drifted: true, trigger: { kind: 'drift' }, clusterId: 'c1' });
    expect(records[0]!.reason).toContain('update /etc/netplan/50-hostnet.yaml');
    expect(records[0]!.outcome?.diff?.files[0]?.unified).toContain('mtu: 1500');
    expect(enable).not.toHaveBeenCalled();
    expect(complete).not.toHaveBeenCalled();
  });

  it('a live difference alone is drift', () => {
    expect(driftRecord(enabled, { status: 'dry-run', diff: { files: same.files, live: ['cloudbr0: missing'] } }, enabled, 'now').drifted).toBe(true);
  });

  it('a clean result clears drift', async () => {
    const { report, records, enable } = setup({ ...enabled, drifted: true, reason: 'drifted from its intent: update x' });
    await report({ status: 'dry-run', diff: same });
    expect(records[0]).toMatchObject({ phase: 'enabled', drifted: false });
    expect(records[0]!.reason).toBeUndefined();
    expect(enable).not.toHaveBeenCalled();
  });

  it("a clean dry-run of a failed host keeps the failure's reason, through later clean ones; a dry-run's own words are not kept", () => {
    const failed: HostStatusRecord = { ...enabled, phase: 'failed', reason: 'profiles: storageAddress is missing' };
    const first = driftRecord(enabled, { status: 'dry-run', diff: same }, failed, 'now', 'dry-run');
    expect(first).toMatchObject({ phase: 'failed', dryRun: true, drifted: false, reason: 'profiles: storageAddress is missing' });
    expect(driftRecord(enabled, { status: 'dry-run', diff: same }, first, 'now').reason).toBe('profiles: storageAddress is missing');
    const incomplete = driftRecord(enabled, { status: 'failed', reason: 'ssh: connect timed out' }, { ...enabled, drifted: false }, 'now');
    expect(driftRecord(enabled, { status: 'dry-run', diff: same }, incomplete, 'now').reason).toBeUndefined();
  });

  it("a failed host's reason from an earlier spec says so; an enabled host's reason is not carried by a clean dry-run", () => {
    const failed: HostStatusRecord = { ...enabled, phase: 'failed', specHash: 'old', reason: 'profiles: storageAddress is missing' };
    const first = driftRecord({ ...enabled, specHash: 'new' }, { status: 'dry-run', diff: same }, failed, 'now', 'dry-run');
    expect(first.reason).toBe("profiles: storageAddress is missing (an earlier spec's; the current one dry-runs clean: configure the host to clear it)");
    expect(driftRecord({ ...enabled, specHash: 'newer' }, { status: 'dry-run', diff: same }, first, 'now').reason).toBe(first.reason);
    expect(driftRecord(enabled, { status: 'dry-run', diff: same }, { ...enabled, reason: 'added to CloudStack as h1' }, 'now').reason).toBeUndefined();
  });

  it('a refused dry-run that read the host (its diff attached) says whether the host drifted; the reason says why it was refused', () => {
    const refused = driftRecord(enabled, { status: 'failed', reason: 'VmPathCutError: live bridge cloudbr1 …', diff: changed }, { ...enabled, drifted: false }, 'now');
    expect(refused).toMatchObject({ phase: 'enabled', drifted: true, dryRunIncomplete: true, reason: 'drift check did not complete (failed): VmPathCutError: live bridge cloudbr1 …' });
  });

  it('a dry-run that did not complete says so apart from the phase it keeps; the next one that completes clears it', () => {
    const unreachable = driftRecord(enabled, { status: 'failed', reason: 'SshUnreachableError: connect ECONNREFUSED' }, { ...enabled, drifted: false }, 'now');
    expect(unreachable).toMatchObject({ phase: 'enabled', dryRunIncomplete: true, drifted: false });
    expect(driftRecord(enabled, { status: 'dry-run', diff: same }, unreachable, 'now').dryRunIncomplete).toBeUndefined();
  });

  it('a dry-run refused because a new spec names a NIC the host lacks keeps the previous verdict: the profile is wrong, not the host', () => {
    const missing = { status: 'failed', reason: 'MissingNicError: nics: eth9 is not an interface of the host …', diff: changed } as const;
    const newSpec = { ...enabled, specHash: 'new-profile' };
    expect(driftRecord(newSpec, missing, { ...enabled, drifted: false }, 'now', 'dry-run')).toMatchObject({ phase: 'enabled', drifted: false, reason: expect.stringMatching(/^dry-run did not complete \(failed\): MissingNicError: /) });
    // nor does it mark the host's check incomplete (every host of the profile would need attention, and page)
    expect(driftRecord(newSpec, missing, { ...enabled, drifted: false }, 'now', 'dry-run').dryRunIncomplete).toBeUndefined();
    expect(driftRecord(enabled, { status: 'failed', reason: 'profiles: storageAddress is missing' }, enabled, 'now', 'dry-run', true).dryRunIncomplete).toBeUndefined();
    expect(driftRecord(newSpec, missing, { ...enabled, drifted: true }, 'now').drifted).toBe(true);
    expect(driftRecord(newSpec, missing, undefined, 'now').drifted).toBeUndefined();
  });

  it('under the spec the host stood on, a NIC gone from the host is drift', () => {
    const missing = { status: 'failed', reason: 'MissingNicError: nics: eth2 is not an interface of the host …', diff: changed } as const;
    expect(driftRecord(enabled, missing, { ...enabled, drifted: false }, 'now').drifted).toBe(true);
  });

  it('a check that could not read the host keeps the previous verdict and says why', async () => {
    const { report, records } = setup({ ...enabled, drifted: true });
    await report({ status: 'failed', reason: 'ssh: connect timed out' });
    expect(records[0]).toMatchObject({ phase: 'enabled', drifted: true });
    expect(records[0]!.reason).toContain('ssh: connect timed out');
  });

  it('a host hostnet never enabled (only dry-run before) stays dry-run', () => {
    expect(driftRecord(enabled, { status: 'dry-run', diff: changed }, { ...enabled, phase: 'dry-run' }, 'now').phase).toBe('dry-run');
  });

  it('a drift result claiming an apply is refused: no enable, no record', async () => {
    const { report, records, enable } = setup(enabled, 'apply');
    await expect(report({ status: 'applied', diff: changed, verification: { ok: true, checks: [] } })).rejects.toBeInstanceOf(DriftApplyRefusedError);
    expect(enable).not.toHaveBeenCalled();
    expect(records).toEqual([]);
  });
});
