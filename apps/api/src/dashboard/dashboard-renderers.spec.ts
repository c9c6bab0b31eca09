import { HOST_PHASES, type HostStatusRecord } from '../hosts/host-status.types';
import { dashboardCsp, renderDashboardPage } from './dashboard-page.renderer';
import { renderDiff } from './diff.renderer';
import { escapeHtml } from './html-escape';
import { renderHostDrawer } from './host-drawer.renderer';
import { parseHostQuery } from './host-query';
import { formatTimings, renderHostRow } from './host-rows.renderer';
import { PHASE_ORDER, renderPager, renderPhaseCounts } from './host-summary.renderer';
import { viewHosts } from './host-view';
import { renderRolloutPanel } from './rollout-panel.renderer';
import { runsOf } from './run-timeline';

const at = '2025-01-01T00:00:00.000Z';
const EVIL = '"><script>x()</script>';
const host = (hostId: string, fields: Partial<HostStatusRecord> = {}): HostStatusRecord => ({
  hostId, hostName: `kvm-${hostId}`, zoneId: 'z1', clusterId: 'c1', phase: 'enabled', at, ...fields,
});
const failed = host('h1', {
  phase: 'failed',
  runId: 'r1',
  reason: 'step netplan-apply exited 1; output: bond0: <cannot> attach; previous configuration restored at once',
  outcome: {
    status: 'failed',
    target: 'netplan-linux',
    steps: [{ name: 'netplan-apply', durationMs: 120, exitCode: 1 }],
    verification: { ok: false, checks: [{ name: 'gateway reachable', ok: false, detail: 'no reply' }, { name: 'bridge cloudbr0 up', ok: true }] },
    diff: { files: [{ path: '/etc/netplan/50-cloud.yaml', change: 'update', unified: '--- a\n+++ b\n@@ -1 +1 @@\n-old <x>\n+new' }, { path: '/etc/x', change: 'same' }], live: [] },
  },
  cloudstackCalls: [{ command: 'updateHost', at, ok: false, error: '530 <busy>' }],
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('host rows', () => {
  it('escapes every value that comes from CloudStack, a worker or a trigger', () => {
    const html = renderHostRow({
      record: host(EVIL, { hostName: EVIL, zoneId: EVIL, clusterId: EVIL, zoneName: EVIL, clusterName: EVIL, podId: EVIL, podName: EVIL, reason: EVIL, trigger: { kind: 'webhook', by: EVIL } }),
    });
    expect(html).not.toContain('<script>');
    expect(html.split('&lt;script&gt;').length - 1).toBe(9);
  });

  it('marks hosts needing attention and opens the drawer from a button', () => {
    const html = renderHostRow({ record: host('h1', { phase: 'applying' }), attention: 'stuck' });
    expect(html).toContain('class="host phase-applying attention"');
    expect(html).toContain('<span class="badge">stuck</span>');
    expect(html).toContain('<button type="button" class="open-host" data-open-host="h1" aria-haspopup="dialog">kvm-h1</button>');
  });

  it("shows no reason for an enabled host whose run recovered a lost connection (the run's drawer keeps it)", () => {
    const lost = 'connection lost during apply: read ECONNRESET';
    const html = renderHostRow({ record: host('h1', { runId: 'r1', outcome: { status: 'applied', reason: lost, recovered: lost } }) });
    expect(html).toContain('<td class="reason"></td>');
  });

  it('prints ms below a second and seconds above, leaving out stages that took nothing', () => {
    expect(formatTimings({ facts: 85.4, render: 0, apply: 3210 })).toBe('facts 85 ms · apply 3.2 s');
    expect(formatTimings(undefined)).toBe('');
  });
});

describe('counts and pager', () => {
  it('links each phase count to its filter, attention first, and says where the page is', () => {
    const view = viewHosts([host('a'), host('b'), failed], parseHostQuery({ phase: 'failed' }), Date.parse(at));
    const counts = renderPhaseCounts(view);
    expect(counts).toContain('<strong>3</strong> hosts');
    expect(counts.indexOf('need attention')).toBeLessThan(counts.indexOf('> failed'));
    expect(counts).toContain('href="/dashboard?phase=failed" aria-current="true"><strong>1</strong> failed');
    expect(renderPager(view)).toContain('1–1 of 1 matching (3 in all)');
  });
});

describe('host drawer', () => {
  const html = renderHostDrawer({ latest: failed, runs: runsOf([failed]), rejected: [] });

  it('shows the failed step with its output, every verification check, the diff and the CloudStack calls', () => {
    expect(html).toContain('Failed step: <code>netplan-apply</code> (exit 1)');
    expect(html).toContain('<pre class="output">bond0: &lt;cannot&gt; attach</pre>');
    expect(html).toContain('gateway reachable</td><td>no reply');
    expect(html).toContain('bridge cloudbr0 up');
    expect(html).toContain('<span class="del">-old &lt;x&gt;</span>');
    expect(html).toContain('<span class="add">+new</span>');
    expect(html).not.toContain('/etc/x');
    expect(html).toContain('<code>updateHost</code></td><td>failed</td><td>530 &lt;busy&gt;');
  });

  it('offers dry-run, configure and force, each to be confirmed', () => {
    expect(html.match(/data-action="(dry-run|configure|force)"/g)).toHaveLength(3);
  });

  it("lists a dry-run's steps as the commands an apply would run, escaped, and says when there are none", () => {
    const dryRun = (planned: { name: string; argv: string[]; phase: 'live' | 'activate' }[]) =>
      host('h2', { phase: 'enabled', runId: 'r2', dryRun: true, outcome: { status: 'dry-run', target: 'netplan-linux', diff: { files: [], live: [] }, planned } });
    const shown = renderHostDrawer({ latest: dryRun([]), runs: runsOf([dryRun([{ name: 'odd', argv: ['echo', 'a<b>', "it's"], phase: 'activate' }])]), rejected: [] });
    expect(shown).toContain(`<h4>Steps an apply would run</h4><pre class="commands">$ echo &#39;a&lt;b&gt;&#39; &#39;it&#39;\\&#39;&#39;s&#39;</pre>`);
    expect(renderHostDrawer({ latest: dryRun([]), runs: runsOf([dryRun([])]), rejected: [] })).toContain('None: nothing would change.');
    expect(html).not.toContain('Steps an apply would run');
  });

  it('says when a diff has no text (kept for dry-runs only)', () => {
    expect(renderDiff({ files: [{ path: '/etc/a', change: 'create' }], live: [] })).toContain('kept for dry-runs only');
    expect(renderDiff(undefined)).toContain('No diff recorded');
  });
});

describe('renderDashboardPage', () => {
  it('is one self-contained document whose inline code carries the CSP nonce, with the CSRF token and the relabel rollout region', () => {
    const view = viewHosts([host('h1')], parseHostQuery({}), Date.parse(at));
    const html = renderDashboardPage({ view, rollouts: renderRolloutPanel([]), nonce: 'n0nce', csrfToken: 'csrf<1>', generatedAt: at });
    expect(html).toContain('<style nonce="n0nce">');
    expect(html.match(/<script nonce="n0nce">/g)).toHaveLength(4);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('<meta name="csrf-token" content="csrf&lt;1&gt;">');
    expect(html).toContain('<dialog id="relabel-diff" class="side" aria-labelledby="relabel-diff-title">');
    expect(html).toContain('<section id="relabel-rollouts" aria-labelledby="relabel-title"><h2 id="relabel-title">Relabel rollouts</h2>');
    expect(html).toContain('<p id="relabel-status" role="status" aria-live="polite">no relabel rollout</p>');
    expect(html).not.toContain('Reserved');
    expect(dashboardCsp('n0nce')).toContain("script-src 'nonce-n0nce'");
    expect(dashboardCsp('n0nce')).toContain("default-src 'none'");
  });
});

describe('PHASE_ORDER', () => {
  it('holds every phase once, so the filter form offers each (resolved included)', () => {
    expect([...PHASE_ORDER].sort()).toEqual([...HOST_PHASES].sort());
  });
});

describe('host drawer: a run refused before any step', () => {
  const REASON = `MtuLoweringError: mtu: this run would lower eth0 from 9000 to 1500 ${EVIL}, nothing was changed`;
  const refused = (dryRun: boolean) =>
    host('h5', {
      phase: dryRun ? 'enabled' : 'failed',
      runId: dryRun ? 'r6' : 'r5',
      trigger: { kind: 'operator', by: 'ops' } as HostStatusRecord['trigger'],
      ...(dryRun ? { dryRun: true as const } : {}),
      reason: REASON,
      outcome: {
        status: 'failed',
        reason: REASON,
        target: 'netplan-linux',
        steps: [],
        verification: { ok: false, checks: [] },
        diff: { files: [{ path: '/etc/netplan/01-hostnet.yaml', change: 'same' }], live: [`eth0 has MTU 9000, expected 1500 ${EVIL}`] },
      },
    });

  it('says it was not verified but refused, with why (escaped), instead of "Verification failed." over an empty table', () => {
    const html = renderHostDrawer({ latest: refused(false), runs: runsOf([refused(false)]), rejected: [] });
    expect(html).toContain(`<h4>Verification</h4><p class="fail not-verified">Not verified: refused before any change: ${escapeHtml(REASON)}</p>`);
    expect(html).not.toContain('Verification failed.');
    expect(html).not.toContain('<table class="checks">');
    expect(html).not.toContain('<script>');
  });

  it('lists the live differences even when no file differs', () => {
    const html = renderHostDrawer({ latest: refused(false), runs: runsOf([refused(false)]), rejected: [] });
    expect(html).toContain(`No file differs.</p><h5>Live changes</h5><ul class="live-changes"><li><code>eth0 has MTU 9000, expected 1500 ${escapeHtml(EVIL)}</code></li></ul>`);
  });

  it('marks a refused dry-run as a dry-run in its title, not as an apply that failed', () => {
    const dry = renderHostDrawer({ latest: refused(true), runs: runsOf([refused(true)]), rejected: [] });
    expect(dry).toMatch(/operator ops · <span class="dry-run">dry-run<\/span> → <strong class="phase">failed<\/strong>/);
    const apply = renderHostDrawer({ latest: refused(false), runs: runsOf([refused(false)]), rejected: [] });
    expect(apply).not.toContain('class="dry-run"');
  });

  it('a run with checks still shows them, and one ended before verifying says it was not verified', () => {
    const html = renderHostDrawer({ latest: failed, runs: runsOf([failed]), rejected: [] });
    expect(html).toContain('Verification failed.');
    const lost = host('h6', { phase: 'failed', runId: 'r7', reason: 'connection lost', outcome: { status: 'rolled-back', steps: [{ name: 'netplan-apply', durationMs: 1, exitCode: 0 }], verification: { ok: false, checks: [] } } });
    expect(renderHostDrawer({ latest: lost, runs: runsOf([lost]), rejected: [] })).toContain('Not verified: the run ended before verification');
  });
});

describe('host drawer: a POST /hosts/add record', () => {
  it('offers no Dry-run or Configure (they answer 404 for it), and says how to try the add again', () => {
    const pending = host('pending-10-0-0-16', { hostName: 'kvm6', phase: 'failed', reason: 'ssh: connect ECONNREFUSED' });
    const html = renderHostDrawer({ latest: pending, runs: runsOf([pending]), rejected: [] });
    expect(html).not.toContain('data-action=');
    expect(html).toContain('To try again, send the add again (hostnet add-host); it replaces this record.');
    expect(renderHostDrawer({ latest: host('h1', { phase: 'failed' }), runs: [], rejected: [] })).toContain('data-action="configure"');
  });
});

describe('host drawer: a rolled-back run shows the rollback proof before the diff', () => {
  const restoredAt = '2025-01-01T00:00:09.000Z';
  const rolledBack = (restoreChecks?: { name: string; ok: boolean; detail?: string }[]) =>
    host('h7', {
      phase: 'rolled-back',
      runId: 'r8',
      reason: 'verification failed: gateway reachable (no reply)',
      outcome: {
        status: 'rolled-back',
        steps: [{ name: 'ifreload', durationMs: 5, exitCode: 0 }],
        verification: { ok: false, checks: [{ name: 'gateway reachable', ok: false, detail: 'no reply' }] },
        rollback: { armedSeconds: 90, triggered: true, restoredAt, ...(restoreChecks ? { restoreChecks } : {}) },
        diff: { files: [{ path: '/etc/network/interfaces', change: 'update' }], live: [] },
      },
    });
  const drawer = (r: HostStatusRecord) => renderHostDrawer({ latest: r, runs: runsOf([r]), rejected: [] });

  it('lists each restore check (files back at their pre-apply hashes, live state as before), escaped, before the diff', () => {
    const html = drawer(rolledBack([
      { name: 'files restored', ok: true, detail: `1 file matches its pre-apply hash ${EVIL}` },
      { name: 'live state restored', ok: true, detail: 'as before the run' },
    ]));
    expect(html).toContain(`The host restored its previous configuration at <time datetime="${restoredAt}">${restoredAt}</time>, checked:`);
    expect(html).toContain(`<td>files restored</td><td>1 file matches its pre-apply hash ${escapeHtml(EVIL)}</td>`);
    expect(html).toContain('<td>live state restored</td><td>as before the run</td>');
    expect(html).not.toContain('<script>');
    expect(html.indexOf('Rollback proof')).toBeLessThan(html.indexOf('<h4>Diff</h4>'));
  });

  it('says so when not all of it was restored, or when no check was recorded', () => {
    expect(drawer(rolledBack([{ name: 'live state restored', ok: false, detail: 'cloudbr0 still up' }]))).toMatch(/previous configuration at .*, <strong>NOT all of it<\/strong>:.*✘ FAIL<\/td><td>live state restored/);
    expect(drawer(rolledBack())).toContain('(no restore checks recorded).');
  });

  it('a restore no facts showed (host unreachable) is presumed, not confirmed: never "restored its previous configuration"', () => {
    const lost = host('h8', {
      phase: 'failed',
      runId: 'r9',
      reason: 'still unreachable after the rollback deadline',
      outcome: { status: 'failed', rollback: { armedSeconds: 90, triggered: true, unconfirmed: 'host unreachable' }, diff: { files: [], live: [] } },
    });
    const html = drawer(lost);
    expect(html).toContain('The host is presumed restored by its on-host timer, not confirmed (host unreachable).');
    expect(html).not.toContain('restored its previous configuration');
  });
});
