import type { KvmHost } from '@hostnet/cloudstack/domain/zone-network-topology';
import type { HostStatusBrief, HostStatusRecord } from '../hosts/host-status.types';
import { decideForHost } from './host-selection';

const host = (over: Partial<KvmHost> = {}): KvmHost => ({
  id: 'h1',
  name: 'kvm1',
  ipAddress: '192.168.100.20',
  zoneId: 'z',
  podId: 'p',
  clusterId: 'c',
  state: 'Up',
  resourceState: 'Disabled',
  hypervisor: 'KVM',
  ...over,
});
const status = (phase: HostStatusRecord['phase'], specHash = 'spec-a'): HostStatusRecord => ({
  hostId: 'h1',
  hostName: 'kvm1',
  zoneId: 'z',
  phase,
  specHash,
  at: '2026-01-01T00:00:00Z',
});

/** The brief of a relabel host step's verified record, under the step's own spec hash. */
const relabelStep = (): HostStatusBrief => ({ phase: 'verified', specHash: 'spec-relabel', at: '2026-01-01T00:00:00Z', relabelRolloutId: 'rl-1' });

describe('decideForHost', () => {
  it.each([
    ['a new Disabled host', host(), undefined, 'apply'],
    ['a host in Alert', host({ state: 'Alert', resourceState: 'Enabled' }), undefined, 'apply'],
    ['a Disconnected host', host({ state: 'Disconnected', resourceState: 'Enabled' }), status('enabled'), 'apply'],
    ['a new Enabled Up host (drift report only)', host({ resourceState: 'Enabled' }), undefined, 'dry-run'],
    ['a host in Maintenance', host({ resourceState: 'Maintenance' }), undefined, 'skip'],
    ['a host whose spec failed', host(), status('failed'), 'skip'],
    ['a host whose spec rolled back', host(), status('rolled-back'), 'skip'],
    ['a host whose spec an operator rolled back (resolve)', host(), status('resolved'), 'skip'],
    ['a host whose spec changed since it failed', host(), status('failed', 'spec-old'), 'apply'],
    ['a host being configured', host(), status('applying'), 'skip'],
    ['a new Disabled host whose first record is a queued dry-run (no run towards enabling it)', host(), { ...status('queued'), dryRun: true as const }, 'apply'],
    ['a host being enabled', host(), status('verified'), 'skip'],
    ['a host disabled by an operator after hostnet enabled it', host(), status('enabled'), 'skip'],
    ['a configured, enabled host', host({ resourceState: 'Enabled' }), status('enabled'), 'skip'],
    ['a host a relabel rollout left Disabled, as it was before (its step\'s spec is not the plain one)', host(), relabelStep(), 'skip'],
    ['a host a relabel rollout left Disabled after a step that changed nothing', host(), { ...relabelStep(), phase: 'no-op' as const }, 'skip'],
    ['a host a relabel rollout left Disabled that is cut off now', host({ state: 'Alert' }), relabelStep(), 'apply'],
    // a step's spec hash is never the plain one: whatever phase the step ended in, the rollout left the host Disabled
    ['a host whose relabel step failed', host(), { ...relabelStep(), phase: 'failed' as const }, 'skip'],
    ['a host whose relabel step rolled back', host(), { ...relabelStep(), phase: 'rolled-back' as const }, 'skip'],
    ['a host whose relabel step was queued when the rollout stopped', host(), { ...relabelStep(), phase: 'queued' as const }, 'skip'],
    ['a host whose relabel step was applying when the rollout stopped', host(), { ...relabelStep(), phase: 'applying' as const }, 'skip'],
    ['a host hostnet configured and left Disabled by choice', host(), { ...status('verified'), reason: 'not enabled: left Disabled by choice: the host was disabled after hostnet enabled it; fix: x' }, 'skip'],
  ] as const)('%s → %s', (_name, h, latest, action) => {
    expect(decideForHost(h, () => 'spec-a', latest).action).toBe(action);
  });

  it("names the rollout and the operator's fix for a host a relabel step left Disabled", () => {
    const decision = decideForHost(host(), () => 'spec-a', { ...relabelStep(), phase: 'failed' });
    expect(decision).toEqual({ action: 'skip', reason: expect.stringMatching(/^left Disabled by relabel rollout rl-1 \(its last step here is failed\); .*fix: .*hostnet configure --host h1 \(add --enable/) });
  });

  it('derives the spec only for a host whose decision depends on it: never for an Up and Enabled host hostnet configured', () => {
    const asked: string[] = [];
    const spec = (name: string) => () => (asked.push(name), 'spec-a');
    decideForHost(host({ state: 'Up', resourceState: 'Enabled' }), spec('steady'), status('enabled'));
    decideForHost(host({ resourceState: 'Maintenance' }), spec('maintenance'), status('failed'));
    decideForHost(host(), spec('in-flight'), status('applying'));
    expect(asked).toEqual(['in-flight']);
  });

  it('marks a skip "in progress" only while the record is a run under way, which the poller then checks is not lost', () => {
    for (const phase of ['queued', 'applying', 'verified', 'no-op'] as const) {
      expect(decideForHost(host(), () => 'spec-a', status(phase))).toEqual({ action: 'skip', reason: `already ${phase} for this spec; enabling is in progress`, inProgress: true });
    }
    expect(decideForHost(host(), () => 'spec-a', { ...status('verified'), reason: 'enabling failed, will retry: 530' })).toMatchObject({ inProgress: true });
    // a result's last word (hostnet left the host as it was): handled and released, nothing of it to lose
    const handled = { ...status('verified'), reason: 'not enabled: CloudStack shows the host in Maintenance, and hostnet enables only a Disabled host; fix: x' };
    expect(decideForHost(host(), () => 'spec-a', handled)).toEqual({ action: 'skip', reason: 'already verified for this spec; enabling is in progress' });
    expect(decideForHost(host(), () => 'spec-b', status('queued')).action).toBe('apply');
  });

  describe('a verified run hostnet left to the operator (their maintenance), once CloudStack shows the host Enabled', () => {
    const notEnabled = (phase: HostStatusRecord['phase'] = 'verified', over: Partial<HostStatusBrief> = {}): HostStatusBrief => ({
      ...status(phase),
      reason: 'not enabled: CloudStack shows the host in Maintenance, and hostnet enables only a Disabled host; the network is configured and verified; fix: end the maintenance in CloudStack (cancelHostMaintenance) when the host is ready',
      ...over,
    });

    it('is recorded enabled (a record, no job, no call) when Up and Enabled with its spec unchanged', () => {
      for (const phase of ['verified', 'no-op'] as const) {
        expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-a', notEnabled(phase))).toEqual({ action: 'record-enabled', reason: expect.stringMatching(/^CloudStack shows the host Up and Enabled again since its run verified this spec .*hostnet made no enable call$/) });
      }
    });

    it('is left as it is while still in maintenance, not Up, of another spec, a relabel step, or a verified run hostnet is still enabling', () => {
      expect(decideForHost(host({ resourceState: 'Maintenance' }), () => 'spec-a', notEnabled()).action).toBe('skip');
      expect(decideForHost(host({ resourceState: 'Enabled', state: 'Disconnected' }), () => 'spec-a', notEnabled()).action).not.toBe('record-enabled');
      expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-b', notEnabled()).action).toBe('skip');
      expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-a', notEnabled('verified', { relabelRolloutId: 'rl-1' })).action).toBe('skip');
      // the record written before hostnet's own enable call, or its retry: not "not enabled"
      expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-a', status('verified')).action).toBe('skip');
      expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-a', notEnabled('verified', { reason: 'enabling failed, will retry: 530' })).action).toBe('skip');
      expect(decideForHost(host({ resourceState: 'Enabled' }), () => 'spec-a', notEnabled('failed')).action).toBe('skip');
    });
  });
});
