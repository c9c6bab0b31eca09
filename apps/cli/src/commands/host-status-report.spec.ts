import { formatHostList, formatHostView, type HostStatusRow } from './host-status-report';

const ESC = '\u001b';
const row: HostStatusRow = {
  hostId: 'h1',
  hostName: `kvm1${ESC}[2J`,
  zoneName: 'EU',
  clusterName: 'c1',
  phase: 'failed',
  at: '2026-12-07T00:00:00Z',
  reason: `step ifup-eth0 exited 1; output: ${ESC}]0;owned${ESC}\\\nline two`,
  outcome: {
    status: 'failed',
    target: 'debian-ifupdown-linux',
    diff: { files: [{ path: '/etc/network/interfaces', change: 'update', unified: `--- a/etc/network/interfaces\n+++ b/etc/network/interfaces\n@@ -1 +1 @@\n-auto eth0\n+auto eth0 ${ESC}[31mred\n` }], live: [] },
  },
};

describe('host reports', () => {
  it('never hand a control character from a host or CloudStack to the terminal, and keep the rows one line each', () => {
    const list = formatHostList([row]);
    expect(list).not.toContain(ESC);
    expect(list.trimEnd().split('\n')).toHaveLength(2);
    expect(list).toMatch(/kvm1\?\[2J +EU +c1 +failed +- +\S+ +step ifup-eth0 exited 1; output: \?\]0;owned\?\\ line two$/m);
    const view = formatHostView({ latest: row, history: [row] });
    expect(view).not.toContain(ESC);
    // the diff keeps its lines
    expect(view).toContain('\n-auto eth0\n+auto eth0 ?[31mred\n');
  });
});

describe('a host whose run was rolled back', () => {
  it('shows the proof the host is back before the diff, and reads the diff as written then put back', () => {
    const rolledBack: HostStatusRow = {
      hostId: 'h4', hostName: 'kvm4', phase: 'rolled-back', at: '2026-12-07T00:00:00Z', reason: 'the host did not answer after the apply: restored by its own timer',
      outcome: {
        status: 'rolled-back', target: 'netplan-linux',
        diff: { files: [{ path: '/etc/netplan/60-hostnet.yaml', change: 'update' }], live: [] },
        rollback: { triggered: true, restoredAt: '2026-12-07T00:00:31Z', restoreChecks: [{ name: 'files restored', ok: true, detail: '2 files match the pre-apply hashes' }, { name: 'live state restored', ok: true }] },
      },
    };
    const view = formatHostView({ latest: rolledBack, history: [rolledBack] });
    expect(view).toContain('rollback: the host restored its previous configuration at 2026-12-07T00:00:31Z, checked:\n  ok  files restored: 2 files match the pre-apply hashes\n  ok  live state restored\n');
    expect(view).toContain('files: 1 written, then put back by the rollback, 0 the same');
    expect(view.indexOf('rollback:')).toBeLessThan(view.indexOf('files:'));
  });
});

describe('a host whose run lost it before its restore could be seen', () => {
  it('reads the rollback as presumed by the on-host timer, not confirmed, never as the host restored', () => {
    const lost: HostStatusRow = {
      hostId: 'h2', hostName: 'kvm2', phase: 'failed', at: '2026-12-07T00:00:00Z', reason: 'the host did not answer after the apply; still unreachable after the rollback deadline: connect ETIMEDOUT',
      outcome: {
        status: 'failed', target: 'netplan-linux',
        diff: { files: [{ path: '/etc/netplan/60-hostnet.yaml', change: 'update' }], live: [] },
        verification: { ok: false, checks: [{ name: 'new configuration', ok: false, detail: 'not verified: presumed restored by its on-host timer, not confirmed (host unreachable)' }] },
        rollback: { triggered: true, unconfirmed: 'host unreachable' },
      },
    };
    const view = formatHostView({ latest: lost, history: [lost] });
    expect(view).toContain('rollback: presumed restored by its on-host timer, not confirmed (host unreachable)\n');
    expect(view).not.toContain('restored its previous configuration');
    expect(view).toContain('files: 1 written, their restore not confirmed, 0 the same');
  });
});

describe("a host's history", () => {
  it('shows a dry-run as what it found, keeping the phase, never as an enable', () => {
    const enabled: HostStatusRow = { hostId: 'h1', hostName: 'kvm1', phase: 'enabled', at: '2026-12-07T00:00:00Z' };
    const checked: HostStatusRow = { ...enabled, at: '2026-12-07T01:00:00Z', dryRun: true, drifted: false, outcome: { status: 'dry-run' } };
    const refused: HostStatusRow = { ...enabled, at: '2026-12-07T02:00:00Z', dryRun: true, outcome: { status: 'failed' } };
    const view = formatHostView({ latest: checked, history: [refused, checked, enabled] });
    expect(view).toContain('\n  2026-12-07T02:00:00Z  dry-run failed\n  2026-12-07T01:00:00Z  dry-run: no drift (host stays enabled)\n  2026-12-07T00:00:00Z  enabled\n');
    expect(view).not.toContain('enabled (dry-run)');
  });
});

describe('a host whose latest dry-run did not complete', () => {
  it('reads drifted "unknown" in the list and the view, with the verdict before it', () => {
    const unreachable: HostStatusRow = { hostId: 'h2', hostName: 'kvm2', phase: 'enabled', at: '2026-12-07T00:00:00Z', dryRun: true, dryRunIncomplete: true, drifted: false, reason: 'drift check did not complete (failed): SshUnreachableError' };
    expect(formatHostList([unreachable])).toMatch(/^kvm2 +- +- +enabled +unknown +\S+ +drift check did not complete/m);
    expect(formatHostView({ latest: unreachable, history: [unreachable] })).toContain('drifted: unknown (the latest dry-run did not complete; the one before found none)\n');
  });
});

describe('a dry-run in the host view', () => {
  const dryRun = (planned: { name: string; argv: string[] }[]): HostStatusRow => ({
    hostId: 'h2',
    hostName: 'kvm2',
    phase: 'enabled',
    at: '2026-12-07T00:00:00Z',
    dryRun: true,
    outcome: { status: 'dry-run', target: 'debian-ifupdown-linux', diff: { files: [{ path: '/etc/network/interfaces', change: 'update' }], live: [] }, planned },
  });

  it('lists the steps an apply would run, each word as a shell would read it', () => {
    const view = formatHostView({ latest: dryRun([{ name: 'ifup-cloudbr0', argv: ['ifup', 'cloudbr0'] }, { name: 'odd', argv: ['echo', "it's", `a${ESC}b`] }]), history: [] });
    expect(view).toContain("\nsteps an apply would run after writing the files (2):\n  ifup-cloudbr0: ifup cloudbr0\n  odd: echo 'it'\\''s' 'a?b'\n");
  });

  it('names each live difference a dry-run found, and calls it no failed verification (a dry-run verifies nothing)', () => {
    const row = dryRun([{ name: 'up-cloudbr1', argv: ['ip', 'link', 'set', 'dev', 'cloudbr1', 'up'] }]);
    const found = { ...row, outcome: { ...row.outcome!, diff: { files: [], live: ['cloudbr1 is down', 'bond1 has MTU 1400, expected 1500'] }, verification: { ok: false, checks: [{ name: 'link cloudbr1', ok: false }] } } };
    const view = formatHostView({ latest: found, history: [] });
    expect(view).toContain('\nlast run: dry-run, target debian-ifupdown-linux\nfiles: 0 to change, 0 the same; live differences: 2 (found)\n  cloudbr1 is down\n  bond1 has MTU 1400, expected 1500\n');
    expect(view).not.toContain('verification');
  });

  it('says when an apply would run nothing, and says nothing of steps for a run that kept none', () => {
    expect(formatHostView({ latest: dryRun([]), history: [] })).toContain('\nsteps an apply would run: none\n');
    expect(formatHostView({ latest: { ...dryRun([]), outcome: { status: 'applied' } }, history: [] })).not.toContain('steps an apply');
  });
});

describe('a run refused before any step in the host view', () => {
  const REASON = "MtuLoweringError: mtu: this run would lower eth0 from 9000 to 1500 (it runs larger frames now, and the host's profile sets no mtu for it, ...), nothing was changed; fix: ...";
  const refused = (dryRun: boolean): HostStatusRow => ({
    hostId: 'h3',
    hostName: 'kvm5',
    phase: dryRun ? 'enabled' : 'failed',
    at: '2026-12-07T00:00:00Z',
    ...(dryRun ? { dryRun: true } : {}),
    reason: REASON,
    outcome: {
      status: 'failed',
      reason: REASON,
      target: 'netplan-linux',
      diff: { files: [{ path: '/etc/netplan/01-hostnet.yaml', change: 'same' }], live: ['eth0 has MTU 9000, expected 1500'] },
      steps: [],
      verification: { ok: false, checks: [] },
    },
  });

  it('says it was not verified but refused, with why, instead of "verification failed (0 checks)", and lists the live differences', () => {
    const view = formatHostView({ latest: refused(false), history: [] });
    expect(view).toContain(`\nlast run: failed, target netplan-linux, not verified: refused before any change: ${REASON.slice(0, 90)}`);
    expect(view).not.toContain('verification failed');
    expect(view).toContain('live differences: 1 (found)\n  eth0 has MTU 9000, expected 1500\n');
  });

  it('marks a refused dry-run as a dry-run', () => {
    const view = formatHostView({ latest: refused(true), history: [refused(true)] });
    expect(view).toContain('\nlast run: failed (dry-run), target netplan-linux, not verified: refused before any change: ');
    expect(view).toMatch(/\n {2}\S+ {2}dry-run failed {2}MtuLoweringError/);
  });

  it('a run that did verify and failed still says so, with the checks that failed', () => {
    const row = refused(false);
    const failed = { ...row, outcome: { ...row.outcome!, steps: [{ name: 'netplan-apply', exitCode: 0 }], verification: { ok: false, checks: [{ name: 'link eth0', ok: false }, { name: 'link eth1', ok: true }] } } };
    expect(formatHostView({ latest: failed, history: [] })).toContain('last run: failed, target netplan-linux, verification failed (1 of 2 checks): link eth0\n');
  });

  it("prints what a failed check found, not only its name (a restored host's did not read as verified)", () => {
    const row = refused(false);
    const restored = { ...row, outcome: { ...row.outcome!, steps: [{ name: 'netplan-apply', exitCode: 0 }], verification: { ok: false, checks: [{ name: 'new configuration verified', ok: false, detail: 'not verified: the host restored its previous configuration' }] } } };
    expect(formatHostView({ latest: restored, history: [] })).toContain(
      'verification failed (1 of 1 checks): new configuration verified: not verified: the host restored its previous configuration\n',
    );
    const link = { ...restored, outcome: { ...restored.outcome, verification: { ok: false, checks: [{ name: 'link cloudbr1', ok: false, detail: 'is down' }, { name: 'gateway', ok: true, detail: 'ping: ok' }] } } };
    expect(formatHostView({ latest: link, history: [] })).toContain('verification failed (1 of 2 checks): link cloudbr1: is down\n');
  });
});

describe('a dry-run api refused before it ran, after an older clean one', () => {
  const clean: HostStatusRow = {
    hostId: 'h3', hostName: 'kvm3', phase: 'enabled', at: '2026-12-07T10:00:00.000Z', dryRun: true, drifted: false,
    outcome: { status: 'dry-run', target: 'el-network-scripts-ovs', diff: { files: [{ path: '/etc/sysconfig/network-scripts/ifcfg-cloudbr0', change: 'same' }], live: [] } },
  };
  const refused: HostStatusRow = { hostId: 'h3', hostName: 'kvm3', phase: 'failed', dryRun: true, at: '2026-12-07T11:00:00.000Z', reason: 'host network intent is invalid (1 problem):\n  - topology.physicalNetworks[1]: bad; fix: x' };

  it('heads the view with the refusal, as a refusal the worker reported does, and says the clean run came before it', () => {
    const view = formatHostView({ latest: clean, history: [refused, clean] });
    expect(view).toContain('\nreason: dry-run did not complete (failed) at 2026-12-07T11:00:00.000Z, refused before it ran: host network intent is invalid (1 problem):\n  - topology.physicalNetworks[1]: bad; fix: x\n');
    expect(view).toContain('\nlast run before it: dry-run, target el-network-scripts-ovs\nfiles: 0 to change, 1 the same;');
  });

  it('an older refusal, or a queued dry-run, changes nothing', () => {
    for (const history of [[clean, refused], [{ ...refused, phase: 'queued' }, clean]]) {
      const view = formatHostView({ latest: clean, history });
      expect(view).not.toContain('did not complete');
      expect(view).toContain('\nlast run: dry-run');
    }
  });
});

describe('an enabled host whose run recovered a lost connection', () => {
  it('has no reason of it, and says what the run recovered from under the last run', () => {
    const lost = 'connection lost during verify: channel closed';
    const enabled: HostStatusRow = {
      hostId: 'h5', hostName: 'kvm5', phase: 'enabled', at: '2026-12-07T00:00:00Z',
      outcome: { status: 'applied', target: 'netplan-linux', reason: lost, recovered: lost, verification: { ok: true, checks: [{ name: 'cloudbr0 up', ok: true }] } },
    };
    const view = formatHostView({ latest: enabled, history: [enabled] });
    expect(view).not.toContain('reason:');
    expect(view).toContain(`last run: applied, target netplan-linux, verification ok (1 checks)\nrecovered on the way: ${lost}\n`);
  });
});
