import type { HostStatusRecord } from '../hosts/host-status.types';
import { DASHBOARD_CLIENT_SCRIPT } from './dashboard-client.script';
import { escapeHtml as e } from './html-escape';
import { renderCounts, renderHostTree } from './host-tree.renderer';

const STYLES = `
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{display:flex;gap:1rem;align-items:baseline;padding:.75rem 1.25rem;background:#1d2330;color:#fff}
header h1{font-size:1.1rem;margin:0}
main,#jobs{padding:0 1.25rem}
h2{font-size:1rem;margin:1.25rem 0 .25rem}h3{font-size:.9rem;margin:.75rem 0 .25rem 1rem}
table{border-collapse:collapse;width:calc(100% - 1rem);margin-left:1rem;background:#fff}
th,td{border:1px solid #dde1e7;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f4;font-weight:600}small{color:#6b7385}
.ok{color:#7ddc8f}.bad{color:#ff9b9b}.empty{color:#6b7385}
tr.phase-enabled td.phase,.counts .phase-enabled{color:#1b7f3a}
tr.phase-failed td.phase,tr.phase-rolled-back td.phase,tr.phase-enable-failed td.phase,
.counts .phase-failed,.counts .phase-rolled-back,.counts .phase-enable-failed{color:#b3261e;font-weight:600}
tr.running{background:#fff7d6}td.live{white-space:nowrap}
#live-jobs{margin:.25rem 0;padding-left:1.25rem}
`;

export interface DashboardPageInput {
  records: readonly HostStatusRecord[];
  /** Per-response CSP nonce for the inline style and script. */
  nonce: string;
  generatedAt: string;
}

/** The whole dashboard page: first paint from `records`, then live updates over /dashboard/events. */
export function renderDashboardPage({ records, nonce, generatedAt }: DashboardPageInput): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hostnet · hosts</title>
<style nonce="${e(nonce)}">${STYLES}</style>
</head>
<body>
<header><h1>hostnet</h1><span id="summary">${renderCounts(records)}</span><span id="conn">connecting…</span><small id="updated">statuses at ${e(generatedAt)}</small></header>
<section id="jobs"><h2>Live jobs</h2><ul id="live-jobs"></ul></section>
<main id="tree">${renderHostTree(records)}</main>
<script nonce="${e(nonce)}">${DASHBOARD_CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** Content-Security-Policy for the page: only its own nonce'd inline code, connections to itself. */
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
