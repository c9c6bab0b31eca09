import type { RelabelPlan } from '@hostnet/relabel';
import type { HostStatusBrief } from '../hosts/host-status.types';
import { assertNoneLeftBehind, type LeftBehind } from './left-behind.check';

describe('assertNoneLeftBehind', () => {
  const plan = { expand: ['kvm1', 'kvm2', 'kvm4'].map((name) => ({ hostId: `id-${name}`, hostName: name })) } as unknown as RelabelPlan;
  const behind: LeftBehind[] = [{ rolloutId: 'r-1', endedAt: '2026-12-06T10:00:00.000Z', hostIds: ['id-kvm1', 'id-kvm2', 'id-kvm3'] }];
  const brief = (phase: HostStatusBrief['phase'], at: string): HostStatusBrief => ({ phase, at });

  it('refuses, by name, an in-scope host an earlier rollout left behind that has not run since', () => {
    const briefs = new Map([
      ['id-kvm1', brief('enabled', '2026-12-06T09:00:00.000Z')], // its last run came before the rollout ended
      ['id-kvm2', undefined],
    ]);
    expect(() => assertNoneLeftBehind(plan, behind, briefs)).toThrow(
      /scope: "kvm1" was left behind by rollout r-1 on the bridges before it and has not run since, so its expand would move its uplink off the bridge its VMs use, outside maintenance; fix: bring it to the zone's labels first \(put it in maintenance, then POST \/hosts\/:id\/configure\), or leave its cluster out of "scope" again\n.*scope: "kvm2" was left behind/,
    );
  });

  it('takes a host whose run after that rollout verified it, or found nothing to change; a failed run proves nothing', () => {
    const after = '2026-12-06T11:00:00.000Z';
    expect(() => assertNoneLeftBehind(plan, behind, new Map([['id-kvm1', brief('enabled', after)], ['id-kvm2', brief('no-op', after)]]))).not.toThrow();
    expect(() => assertNoneLeftBehind(plan, behind, new Map([['id-kvm1', brief('enabled', after)], ['id-kvm2', brief('failed', after)]]))).toThrow(/"kvm2" was left behind/);
  });

  it('leaves alone hosts no rollout left behind (kvm4), and a zone with none', () => {
    expect(() => assertNoneLeftBehind(plan, [], new Map())).not.toThrow();
    expect(() => assertNoneLeftBehind({ expand: [{ hostId: 'id-kvm4', hostName: 'kvm4' }] } as unknown as RelabelPlan, behind, new Map())).not.toThrow();
  });
});
