/**
 * The dashboard's stylesheet (inlined under the page's CSP nonce; no web fonts, no external files).
 * Text colours keep at least 4.5:1 against their backgrounds; focus is always visible.
 */
export const DASHBOARD_STYLES = `
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
header{display:flex;gap:1rem;align-items:baseline;flex-wrap:wrap;padding:.75rem 1.25rem;background:#1d2330;color:#fff}
header h1{font-size:1.1rem;margin:0}header small{color:#d5d9e0}
main{padding:0 1.25rem 2rem}
h2{font-size:1rem;margin:1rem 0 .5rem}h3{font-size:.95rem;margin:1rem 0 .25rem}h4{font-size:.9rem;margin:.75rem 0 .25rem}
small{color:#4f586b}
a{color:#0b57d0}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
#conn.ok{color:#8fe3a0}#conn.bad{color:#ffb3b3}
#counts{display:flex;flex-wrap:wrap;gap:.5rem;padding:.75rem 1.25rem;background:#fff;border-bottom:1px solid #dde1e7}
.count{display:inline-block;padding:.25rem .6rem;border:1px solid #c5cad3;border-radius:1rem;color:#1d2330;text-decoration:none;background:#fff}
.count[aria-current]{background:#1d2330;color:#fff;border-color:#1d2330}
.count.alert{border-color:#b3261e;color:#8c1d18;background:#fdecea}
.count.phase-failed,.count.phase-rolled-back,.count.phase-enable-failed{color:#8c1d18}
.count.phase-enabled{color:#17692f}
#relabel-rollouts{margin:.75rem 1.25rem}
#relabel-rollouts h2{margin:0 0 .25rem}
#relabel-status{margin:.25rem 0;color:#4f586b}
article.rollout{background:#fff;border:1px solid #dde1e7;border-left:4px solid #8a93a3;border-radius:.25rem;margin:.5rem 0;padding:.25rem .75rem}
article.rollout.active{border-left-color:#0b57d0}article.rollout.state-aborting,article.rollout.state-aborted{border-left-color:#b3261e}
article.rollout h3{margin:.4rem 0 .25rem}.rollout-state{font-weight:700}
article.rollout .reason,article.rollout .rollback{color:#8c1d18}
ul.changes{margin:.25rem 0;padding-left:1.25rem}
table.failures{margin:.5rem 0}table.failures caption{text-align:left;font-weight:600;color:#8c1d18;padding:.25rem 0}
table.failures tr.failed th{border-left:4px solid #b3261e}
ul.chips{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
.chip{padding:0 .45rem;border:1px solid #c5cad3;border-radius:.75rem;background:#fff}
.chip.host-failed{border-color:#b3261e;background:#fdecea;color:#8c1d18;font-weight:600}
.chip.host-in-flight{border:2px solid #8a6d00;background:#fff7d6;font-weight:600}
.chip.host-contracted{color:#17692f}
span.in-flight{background:#fff7d6}
#filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:1rem 0 .5rem}
#filters label{display:flex;flex-direction:column;font-size:.8rem;color:#4f586b}
#filters input,#filters select,button{font:inherit;padding:.25rem .4rem;border:1px solid #8a93a3;border-radius:.25rem;background:#fff;color:#1d2330}
button{cursor:pointer}
button[data-action]{margin:.25rem .25rem .25rem 0}
button[data-action="force"]{border-color:#b3261e;color:#8c1d18}
#pager{display:flex;gap:1rem;align-items:baseline;margin:.25rem 0 .5rem}.disabled{color:#5a6275}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #dde1e7;padding:.25rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef0f4;font-weight:600}
th.name{font-weight:400;white-space:nowrap}
.open-host{border:0;padding:0;background:none;color:#0b57d0;text-decoration:underline;font-weight:600}
tr.attention{background:#fdf1f0}
tr.phase-failed td.phase,tr.phase-rolled-back td.phase,tr.phase-enable-failed td.phase,tr.attention td.phase{color:#8c1d18;font-weight:600}
tr.phase-enabled td.phase{color:#17692f}
tr.running{background:#fff7d6}tr.changed td.phase{animation:flash 2s ease-out}
@keyframes flash{from{background:#ffe58a}to{background:transparent}}
.badge{display:inline-block;padding:0 .35rem;border-radius:.5rem;background:#8c1d18;color:#fff;font-size:.75rem}
td.live{white-space:nowrap}td.reason{max-width:28rem}
.empty{color:#4f586b}
.dry-run{border:1px solid #4f586b;border-radius:3px;padding:0 .25em;font-size:.85em}
#live-jobs{margin:.25rem 0;padding-left:1.25rem}
dialog{border:1px solid #8a93a3;border-radius:.25rem;padding:1rem;color:#1d2330;background:#fff}
dialog::backdrop{background:rgba(29,35,48,.45)}
#drawer,#relabel-diff{margin:0 0 0 auto;height:100vh;max-height:100vh;width:min(60rem,100vw);max-width:100vw;overflow:auto;border-width:0 0 0 1px;border-radius:0}
dialog .drawer-bar{display:flex;justify-content:space-between;gap:1rem;align-items:baseline;position:sticky;top:-1rem;background:#fff;padding:.25rem 0}
#drawer h2,#relabel-diff h2{margin:0}
dl.placement{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .75rem;margin:.5rem 0}dt{color:#4f586b}dd{margin:0}
details.run{border:1px solid #dde1e7;border-radius:.25rem;margin:.5rem 0;padding:.25rem .75rem}
details.run>summary{cursor:pointer;padding:.25rem 0}
ol.timeline{list-style:none;padding:0;margin:.5rem 0;border-left:3px solid #8a93a3}
ol.timeline li{padding:.1rem .75rem;position:relative}
ol.timeline .stage{font-weight:600}ol.timeline .took{color:#17692f;font-weight:600}
pre{background:#f1f3f6;padding:.5rem;overflow:auto;max-height:24rem;font:12px/1.35 ui-monospace,monospace;white-space:pre-wrap}
pre.diff .add{color:#17692f;background:#e6f4ea;display:inline-block;width:100%}
pre.diff .del{color:#8c1d18;background:#fdecea;display:inline-block;width:100%}
pre.diff .hunk,pre.diff .file{color:#4f586b}
.pass{color:#17692f}.fail{color:#8c1d18;font-weight:600}
.failed-step{border-left:4px solid #b3261e;padding-left:.5rem}
#action-status{font-weight:600;min-height:1.4em}
#confirm{max-width:32rem}
.open-diff{border:0;padding:0;background:none;color:#0b57d0;text-decoration:underline;font:inherit}
.chip.host-failed .open-diff{color:#8c1d18;font-weight:600}
details.relabel-phase{border:1px solid #dde1e7;border-left:4px solid #0b57d0;border-radius:.25rem;margin:.5rem 0;padding:.25rem .75rem}
.relabel-rollback details.relabel-phase{border-left-color:#8c1d18}
details.relabel-phase>summary{cursor:pointer;padding:.25rem 0}
form.relabel-target{margin:.25rem 0 .5rem}
#confirm .buttons{display:flex;gap:.5rem;justify-content:flex-end}
`;
