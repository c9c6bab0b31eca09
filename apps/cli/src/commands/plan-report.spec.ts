import { formatPlanTable, rowFromRecord, type PlanRow } from './plan-report';

describe('formatPlanTable', () => {
  it('prints hosts in natural order, a reason several hosts share once, then the summary', () => {
    const missing = 'failed: MissingNicError: nics: eth9 is not an interface of the host …';
    const rows: PlanRow[] = [
      { hostId: 'h10', hostName: 'kvm10', verdict: 'error', reason: missing },
      { hostId: 'h2', hostName: 'kvm2', verdict: 'error', reason: missing },
      { hostId: 'h3', hostName: 'kvm3', verdict: 'error', reason: 'failed: ssh: connect ECONNREFUSED' },
      { hostId: 'h1', hostName: 'kvm1', target: 'netplan-linux', filesChanged: 2, liveDifferences: 0, verdict: 'changes' },
    ];
    expect(formatPlanTable('z1', rows)).toBe(
      [
        'HOST   TARGET         FILES CHANGED  LIVE DIFFERENCES  VERDICT',
        'kvm1   netplan-linux  2              0                 changes',
        `kvm2   -              -              -                 error: ${missing}`,
        'kvm3   -              -              -                 error: failed: ssh: connect ECONNREFUSED',
        "kvm10  -              -              -                 error: the same as kvm2's",
        'zone z1: 4 hosts, 0 no change, 1 with changes, 3 errors',
        '',
      ].join('\n'),
    );
  });
});

describe('rowFromRecord', () => {
  it("names the steps a dry-run says an apply would run", () => {
    const record = {
      phase: 'enabled',
      outcome: { status: 'dry-run', target: 'netplan-linux', diff: { files: [{ change: 'update' }, { change: 'same' }], live: [] }, planned: [{ name: 'netplan-apply' }] },
    };
    expect(rowFromRecord({ hostId: 'h1', hostName: 'kvm1' }, record)).toEqual({
      hostId: 'h1', hostName: 'kvm1', target: 'netplan-linux', filesChanged: 1, liveDifferences: 0, plannedSteps: ['netplan-apply'], verdict: 'changes',
    });
  });
});
