import { DASHBOARD_CLIENT_SCRIPT } from './dashboard-client.script';
import { DASHBOARD_DRAWER_SCRIPT } from './dashboard-drawer.script';
import { DASHBOARD_RELABEL_DIFF_SCRIPT } from './dashboard-relabel-diff.script';
import { DASHBOARD_ROLLOUTS_SCRIPT } from './dashboard-rollouts.script';
import { DASHBOARD_STYLES } from './dashboard-styles';
import { renderFilterForm } from './filter-form.renderer';
import { escapeHtml as e } from './html-escape';
import { renderHostTable } from './host-rows.renderer';
import { renderPager, renderPhaseCounts } from './host-summary.renderer';
import type { HostView } from './host-view';
import { renderRolloutRegion, type RolloutPanel } from './rollout-panel.renderer';

export interface DashboardPageInput {
  view: HostView;
  /** The relabel rollout region's first paint. */
  rollouts: RolloutPanel;
  /** Per-response CSP nonce for the inline style and scripts. */
  nonce: string;
  /** This session's CSRF token, sent back by the scripts with every action. */
  csrfToken: string;
  generatedAt: string;
}

/** The whole dashboard page: first paint from `view`, then live updates over /dashboard/events. */
export function renderDashboardPage({ view, rollouts, nonce, csrfToken, generatedAt }: DashboardPageInput): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${e(csrfToken)}">
<title>hostnet · hosts</title>
<style nonce="${e(nonce)}">${DASHBOARD_STYLES}</style>
</head>
<body data-matched="${view.matched}">
<header><h1>hostnet</h1><span id="conn" role="status">connecting…</span><small id="updated">statuses at ${e(generatedAt)}</small></header>
<nav id="counts" aria-label="Hosts per phase">${renderPhaseCounts(view)}</nav>
${renderRolloutRegion(rollouts)}
<main>
<h2 class="visually-hidden">Hosts</h2>
${renderFilterForm(view)}
<div id="pager" role="navigation" aria-label="Pages">${renderPager(view)}</div>
${renderHostTable(view.rows)}
<section id="jobs"><h2>Live jobs</h2><ul id="live-jobs"></ul></section>
</main>
<dialog id="drawer" aria-labelledby="drawer-title">
<div class="drawer-bar"><p id="action-status" role="status" aria-live="polite"></p><button type="button" data-close-drawer>Close <small>(Esc)</small></button></div>
<div id="drawer-body"></div>
</dialog>
<dialog id="relabel-diff" class="side" aria-labelledby="relabel-diff-title">
<div class="drawer-bar"><p>Relabel diff</p><button type="button" data-close-relabel-diff>Close <small>(Esc)</small></button></div>
<div id="relabel-diff-body"></div>
</dialog>
<dialog id="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-explain">
<h2 id="confirm-title">Confirm</h2><p id="confirm-explain"></p>
<div class="buttons"><button type="button" id="confirm-cancel" autofocus>Cancel</button><button type="button" id="confirm-go">Confirm</button></div>
</dialog>
<script nonce="${e(nonce)}">${DASHBOARD_CLIENT_SCRIPT}</script>
<script nonce="${e(nonce)}">${DASHBOARD_DRAWER_SCRIPT}</script>
<script nonce="${e(nonce)}">${DASHBOARD_ROLLOUTS_SCRIPT}</script>
<script nonce="${e(nonce)}">${DASHBOARD_RELABEL_DIFF_SCRIPT}</script>
</body>
</html>
`;
}

/** Content-Security-Policy for the page: only its own nonce'd inline code, connections and forms to itself. */
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
