import type { CloudStackCall } from '@hostnet/relabel';
import { RENDER_TARGETS } from '@hostnet/render';
import type { DiffPhaseName, PhaseDiff, RelabelHostDiff } from '../relabels/relabel-host-diff';
import { renderFileDiffs } from './diff.renderer';
import { escapeHtml as e } from './html-escape';

/** What each host step does, in words (docs/relabel.md, "Host steps"). */
const PHASE_EXPLAINED: Record<DiffPhaseName, string> = {
  expand: 'the new bridge beside the old one',
  switch: 'agent.properties to the new bridge, right after the label flip',
  contract: 'the old bridge goes, the new one keeps the uplink',
  'restore-both': 'the old bridge back beside the new one',
  'switch-back': 'agent.properties back to the old bridge',
  'restore-old': 'back to the old bridge only',
};

/**
 * One host's relabel diff as a dialog fragment: the target it is rendered for, then each forward step
 * open in the order the rollout runs them, then the abort's steps back, closed. Everything escaped.
 */
export function renderRelabelHostDiff(diff: RelabelHostDiff): string {
  const source = diff.targetSource === 'detected' ? "detected by the host's latest hostnet run" : 'chosen here';
  return (
    `<div class="relabel-host-diff" data-rollout-id="${e(diff.rolloutId)}" data-host-id="${e(diff.hostId)}">` +
    title(diff.hostName, diff.hostId, diff.rolloutId) +
    `<p>Rendered for <code>${e(diff.target)}</code> (${source}).</p>` +
    targetForm(RENDER_TARGETS.filter((t) => t.endsWith(diff.target.slice(diff.target.lastIndexOf('-')))), diff.target, 'Render for another OS') +
    `<p class="basis"><small>${e(diff.basis)}</small></p>` +
    renderUnapplied(diff.unapplied) +
    `<section class="relabel-phases" aria-label="Steps"><h3>Steps, in the order the rollout runs them</h3>${diff.phases.map((p) => renderPhase(p, true)).join('')}</section>` +
    `<section class="relabel-rollback" aria-label="Rollback steps"><h3>If the rollout is aborted after this host reached the new layout</h3>${diff.rollback.map((p) => renderPhase(p, false)).join('')}</section>` +
    '</div>'
  );
}

/** A change beyond the relabel that the expand applies too (docs/relabel.md, "Drifted hosts"): first, as it is what nobody reviewed with the labels. */
function renderUnapplied(unapplied: RelabelHostDiff['unapplied']): string {
  if (!unapplied) return '';
  const files = unapplied.files.length === 0 ? '' : `<div class="diff-block">${renderFileDiffs(unapplied.files)}</div>`;
  const live = unapplied.live.length === 0 ? '' : `<ul>${unapplied.live.map((l) => `<li>${e(l)}</li>`).join('')}</ul>`;
  return `<section class="relabel-unapplied" aria-label="Not part of the relabel"><h3>Not part of the relabel, applied by its expand</h3><p class="fail">${e(unapplied.change)}</p>${files}${live}</section>`;
}

export interface RelabelDiffRefusal {
  rolloutId: string;
  /** The host as asked for (id or name). */
  host: string;
  /** The API's status for the same request: 409 no detected target, 400 bad target, 404 unknown rollout or host, 503 not served here. */
  status: number;
  message: string;
}

/** What the API would refuse, said in the dialog (never an error page); 409 and 400 offer the fix, a target. */
export function renderRelabelDiffRefusal(r: RelabelDiffRefusal): string {
  const fixable = r.status === 409 || r.status === 400;
  // The API's messages end with the targets that fit the host ("use one of …", "<one of …>"); a 400 also quotes the wrong one first.
  const offered = r.message.includes('one of') ? r.message.slice(r.message.lastIndexOf('one of')) : r.message;
  const named = RENDER_TARGETS.filter((t) => offered.includes(t));
  const fix =
    r.status === 409
      ? "<p><strong>Fix:</strong> choose the host's OS below to render for it (the API's <code>?target=</code>), or configure the host with hostnet first so that its OS is detected.</p>"
      : '';
  return (
    `<div class="relabel-host-diff refused" data-rollout-id="${e(r.rolloutId)}" data-host-id="${e(r.host)}">` +
    title(r.host, '', r.rolloutId) +
    `<p class="fail" role="alert">${e(r.message)} <small>(HTTP ${r.status})</small></p>` +
    fix +
    (fixable ? targetForm(named.length > 0 ? named : RENDER_TARGETS, undefined, 'Render for') : '') +
    '</div>'
  );
}

function title(hostName: string, hostId: string, rolloutId: string): string {
  return `<h2 id="relabel-diff-title" tabindex="-1">${e(hostName)}${hostId ? ` <small>${e(hostId)}</small>` : ''} · relabel <code>${e(rolloutId)}</code></h2>`;
}

/** The script reloads the fragment with ?target= on submit. */
function targetForm(targets: readonly string[], current: string | undefined, label: string): string {
  const options = targets.map((t) => `<option value="${e(t)}"${t === current ? ' selected' : ''}>${e(t)}</option>`).join('');
  return `<form class="relabel-target" data-relabel-target><label>${e(label)} <select name="target">${options}</select></label> <button type="submit">Render</button></form>`;
}

function renderPhase(p: PhaseDiff, open: boolean): string {
  const counts = [
    p.files.length === 0 ? 'files unchanged' : `${p.files.length} file${p.files.length === 1 ? '' : 's'}`,
    `${p.commands.length} command${p.commands.length === 1 ? '' : 's'}`,
    ...(p.restartAgent ? ['agent restart'] : []),
  ].join(' · ');
  return (
    `<details class="relabel-phase phase-${e(p.phase)}"${open ? ' open' : ''}>` +
    `<summary><strong>${e(p.phase)}</strong> ${e(p.from)} → ${e(p.to)}: ${e(PHASE_EXPLAINED[p.phase] ?? '')} <small>(${counts})</small></summary>` +
    renderCalls('CloudStack before', p.cloudstackBefore) +
    `<h4>Files</h4>${p.files.length === 0 ? '<p class="empty">Files: unchanged.</p>' : `<div class="diff-block">${renderFileDiffs(p.files)}</div>`}` +
    `<h4>Commands</h4>${p.commands.length === 0 ? '<p class="empty">No command.</p>' : `<pre class="commands">${p.commands.map((c) => `$ ${e(c)}`).join('\n')}</pre>`}` +
    `<h4>agent.properties</h4>${
      p.agentProperties.length === 0
        ? '<p class="empty">No <code>*.network.device</code> entry moves.</p>'
        : `<ul class="agent-properties">${p.agentProperties.map((a) => `<li><code>*.network.device</code> <code>${e(a.from)}</code> → <code>${e(a.to)}</code></li>`).join('')}</ul>`
    }` +
    `<p class="agent-restart">${p.restartAgent ? '<strong>cloudstack-agent restarts</strong> after the run is verified.' : 'cloudstack-agent is not restarted.'}</p>` +
    renderCalls('CloudStack after', p.cloudstackAfter) +
    '</details>'
  );
}

function renderCalls(heading: string, calls: readonly CloudStackCall[]): string {
  if (calls.length === 0) return `<h4>${heading}</h4><p class="empty">No CloudStack call.</p>`;
  const items = calls.map((c) => {
    const params = Object.entries(c.params).map(([k, v]) => `${e(k)}=${e(v)}`).join(' ');
    return `<li><code>${e(c.api)}</code>${params ? ` <code>${params}</code>` : ''}${c.condition === 'if-running-vms' ? ' <small>(only if VMs run on the host)</small>' : ''}</li>`;
  });
  return `<h4>${heading}</h4><ol class="calls">${items.join('')}</ol>`;
}
