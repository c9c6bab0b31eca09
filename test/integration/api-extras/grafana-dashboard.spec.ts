import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The sample Grafana dashboard over several api replicas: the gauges each replica reads from the shared store at
 * scrape time (hosts by phase, jobs by state, drifted and check-incomplete hosts) are the same on every replica, so
 * a panel takes one of them (max), never their sum (N replicas read as N times the hosts).
 */
describe('docs/grafana-hostnet.json', () => {
  const dashboard = JSON.parse(readFileSync(join(__dirname, '../../../docs/grafana-hostnet.json'), 'utf8')) as { panels: { targets?: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

  it('never sums a gauge every api replica reads from the shared store', () => {
    const shared = exprs.filter((e) => /\bhostnet_(hosts|jobs|drifted_hosts|check_incomplete_hosts)\b/.test(e));
    expect(shared.length).toBeGreaterThan(0);
    for (const expr of shared) expect(expr).not.toMatch(/^\s*sum\b/);
  });
});
