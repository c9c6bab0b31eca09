import type { HostStatusRecord } from '../hosts/host-status.types';
import { dashboardCsp, renderDashboardPage } from './dashboard-page.renderer';
import { escapeHtml } from './html-escape';
import { formatTimings, renderCounts, renderHostTree } from './host-tree.renderer';

const at = '2025-01-01T00:00:00.000Z';
const host = (hostId: string, fields: Partial<HostStatusRecord> = {}): HostStatusRecord => ({
  hostId, hostName: `kvm-${hostId}`, zoneId: 'z1', clusterId: 'c1', phase: 'enabled', at, ...fields,
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('renderHostTree', () => {
  it('groups zones, then clusters, then hosts by name, each in sorted order', () => {
    const html = renderHostTree([host('h3', { zoneId: 'z2' }), host('h2', { hostName: 'b' }), host('h1', { hostName: 'a', clusterId: 'c0' })]);
    const order = ['data-zone-id="z1"', 'data-cluster-id="c0"', 'data-host-id="h1"', 'data-cluster-id="c1"', 'data-host-id="h2"', 'data-zone-id="z2"', 'data-host-id="h3"'].map(
      (needle) => html.indexOf(needle),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('titles zones and clusters by their CloudStack names, keeping the id beside them', () => {
    const html = renderHostTree([host('h1', { zoneName: 'zone1', clusterName: 'cluster<1>' })]);
    expect(html).toContain('<h2>Zone zone1 <small>z1</small>');
    expect(html).toContain('<h3>Cluster cluster&lt;1&gt; <small>c1</small>');
  });

  it('escapes every value that comes from CloudStack, a worker or a trigger', () => {
    const evil = '"><script>x()</script>';
    const html = renderHostTree([
      host(evil, { hostName: evil, zoneId: evil, clusterId: evil, zoneName: evil, clusterName: evil, reason: evil, jobId: evil, trigger: { kind: 'webhook', by: evil } }),
    ]);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('"><script');
    expect(html.split('&lt;script&gt;').length - 1).toBe(12);
  });

  it('shows the reason, falling back to the outcome reason, and the last run status', () => {
    const html = renderHostTree([host('h1', { phase: 'rolled-back', outcome: { status: 'rolled-back', reason: 'gateway lost' } })]);
    expect(html).toContain('<td class="run">rolled-back</td>');
    expect(html).toContain('<td class="reason">gateway lost</td>');
    expect(html).toContain('class="host phase-rolled-back"');
  });

  it('says so when no host was seen yet', () => {
    expect(renderHostTree([])).toContain('No hosts seen yet');
  });
});

describe('renderCounts and formatTimings', () => {
  it('counts hosts per phase', () => {
    expect(renderCounts([host('a'), host('b'), host('c', { phase: 'failed' })])).toBe(
      '<small class="counts">3 hosts · <span class="phase-enabled">2 enabled</span> · <span class="phase-failed">1 failed</span></small>',
    );
  });

  it('prints ms below a second and seconds above', () => {
    expect(formatTimings({ facts: 85.4, apply: 3210 })).toBe('facts 85 ms · apply 3.2 s');
    expect(formatTimings(undefined)).toBe('');
  });
});

describe('renderDashboardPage', () => {
  it('is one self-contained document whose inline code carries the CSP nonce', () => {
    const html = renderDashboardPage({ records: [host('h1')], nonce: 'n0nce', generatedAt: at });
    expect(html).toContain('<style nonce="n0nce">');
    expect(html).toContain('<script nonce="n0nce">');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(dashboardCsp('n0nce')).toContain("script-src 'nonce-n0nce'");
    expect(dashboardCsp('n0nce')).toContain("default-src 'none'");
  });
});
