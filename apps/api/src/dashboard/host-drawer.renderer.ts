import { presumedRestore, refusedBeforeAnyStep } from '@hostnet/contracts';
import { isPendingHostId } from '@hostnet/host-spec';
import { shellJoin } from '@hostnet/ssh';
import type { HostStatusRecord, RejectedResultRecord } from '../hosts/host-status.types';
import { renderDiff } from './diff.renderer';
import { escapeHtml as e } from './html-escape';
import { formatMs } from './host-rows.renderer';
import type { HostRun } from './run-timeline';

const MAX_RUNS = 20;

/** Actions the drawer offers, each behind a confirmation naming what it does. */
export const HOST_ACTIONS = {
  'dry-run': { label: 'Dry-run', explain: 'Render and diff against the host; nothing on the host or in CloudStack changes.' },
  configure: { label: 'Configure', explain: 'Apply the network configuration (the host is left as is when nothing differs), verify it, then enable the host in CloudStack.' },
  force: { label: 'Force configure', explain: 'Apply even when nothing differs or the last run of this spec failed, verify it, then enable the host.' },
} as const;
export type HostAction = keyof typeof HOST_ACTIONS;

export interface HostDrawerInput {
  latest: HostStatusRecord;
  runs: readonly HostRun[];
  rejected: readonly RejectedResultRecord[];
}

/** The drawer's content for one host: who it is, actions, then its runs newest first (the newest open). */
export function renderHostDrawer({ latest: r, runs, rejected }: HostDrawerInput): string {
  const placement = [
    ['Zone', r.zoneName ? `${r.zoneName} (${r.zoneId})` : r.zoneId],
    ['Pod', r.podName ? `${r.podName} (${r.podId})` : r.podId],
    ['Cluster', r.clusterName ? `${r.clusterName} (${r.clusterId})` : r.clusterId],
    ['Phase', r.phase],
    ['Spec', r.specHash?.slice(0, 12)],
  ].filter(([, v]) => v);
  // a POST /hosts/add record is no host CloudStack knows: configure and dry-run answer 404 for it
  const actions = isPendingHostId(r.hostId)
    ? `<p class="pending-add">CloudStack does not know this host yet: this is the record of its POST /hosts/add. To try again, send the add again (hostnet add-host); it replaces this record.</p>`
    : Object.entries(HOST_ACTIONS)
        .map(([action, { label, explain }]) => `<button type="button" data-action="${action}" data-explain="${e(explain)}" data-label="${e(label)}">${e(label)}…</button>`)
        .join(' ');
  return (
    `<div class="drawer-host" data-host-id="${e(r.hostId)}" data-host-name="${e(r.hostName)}">` +
    `<h2 id="drawer-title" tabindex="-1">${e(r.hostName)} <small>${e(r.hostId)}</small></h2>` +
    `<dl class="placement">${placement.map(([k, v]) => `<dt>${k}</dt><dd>${e(v)}</dd>`).join('')}</dl>` +
    `<section class="actions" aria-label="Actions">${actions}</section>` +
    `<section class="runs" aria-label="Runs"><h3>Runs</h3>${runs.length ? runs.slice(0, MAX_RUNS).map(renderRun).join('') : '<p class="empty">No run recorded.</p>'}</section>` +
    (rejected.length ? renderRejected(rejected) : '') +
    '</div>'
  );
}

function renderRun(run: HostRun, index: number): string {
  const o = run.outcome;
  const trigger = run.trigger ? [run.trigger.kind, run.trigger.by].filter(Boolean).join(' ') : 'unknown trigger';
  const total = Date.parse(run.endedAt) - Date.parse(run.startedAt);
  const failedStep = o?.steps?.find((s) => s.exitCode !== 0);
  return (
    `<details class="run phase-${e(run.phase)}"${index === 0 ? ' open' : ''} data-run-id="${e(run.runId ?? '')}">` +
    `<summary><time datetime="${e(run.startedAt)}">${e(run.startedAt)}</time> · ${e(trigger)}${run.dryRun ? ' · <span class="dry-run">dry-run</span>' : ''} → <strong class="phase">${e(run.phase)}</strong>` +
    `${total > 0 ? ` · ${formatMs(total)}` : ''}${o?.target ? ` · ${e(o.target)}` : ''}</summary>` +
    `<ol class="timeline">${run.stages.map(renderStage).join('')}</ol>` +
    (run.reason ? `<p class="reason"><strong>Reason:</strong> ${e(run.reason)}</p>` : '') +
    (failedStep ? renderFailedStep(failedStep, run.reason) : '') +
    (o?.steps?.length ? renderSteps(o.steps) : '') +
    (o?.planned ? renderPlanned(o.planned) : '') +
    (o?.rollback ? renderRollback(o.rollback) : '') +
    `<h4>Verification</h4>${refusedBeforeAnyStep(o) ? `<p class="fail not-verified">Not verified: refused before any change: ${e(o?.reason ?? run.reason ?? 'no reason recorded')}</p>` : renderChecks(o?.verification)}` +
    `<h4>Diff</h4><div class="diff-block">${renderDiff(o?.diff)}</div>` +
    `<h4>CloudStack calls</h4>${renderCalls(run)}` +
    '</details>'
  );
}

function renderStage(stage: HostRun['stages'][number]): string {
  const at = stage.at ? ` <time datetime="${e(stage.at)}">${e(stage.at.slice(11, 23))}</time>` : '';
  const took = stage.durationMs !== undefined ? ` <span class="took">${e(formatMs(stage.durationMs))}</span>` : '';
  const detail = stage.detail ? ` <small>${e(stage.detail)}</small>` : '';
  return `<li><span class="stage">${e(stage.name)}</span>${at}${took}${detail}</li>`;
}

/** The step that failed and its output: the worker folds the step's output into the reason. */
function renderFailedStep(step: { name: string; exitCode: number }, reason: string | undefined): string {
  const output = /output: (.*?)(?:; previous configuration|$)/s.exec(reason ?? '')?.[1];
  return (
    `<div class="failed-step"><h4>Failed step: <code>${e(step.name)}</code> (exit ${step.exitCode})</h4>` +
    `<pre class="output">${e(output ?? reason ?? 'no output recorded')}</pre></div>`
  );
}

function renderSteps(steps: NonNullable<NonNullable<HostRun['outcome']>['steps']>): string {
  const rows = steps.map((s) => `<tr class="${s.exitCode === 0 ? 'pass' : 'fail'}"><td><code>${e(s.name)}</code></td><td>${s.exitCode}</td><td>${e(formatMs(s.durationMs))}</td></tr>`);
  return `<h4>Steps</h4><table class="steps"><thead><tr><th scope="col">Step</th><th scope="col">Exit</th><th scope="col">Took</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** A dry-run's commands an apply would run once the files are written, as a shell would read them. */
function renderPlanned(planned: NonNullable<NonNullable<HostRun['outcome']>['planned']>): string {
  const commands = planned.map((s) => `$ ${e(shellJoin(s.argv))}`).join('\n');
  return `<h4>Steps an apply would run</h4>${planned.length === 0 ? '<p class="empty">None: nothing would change.</p>' : `<pre class="commands">${commands}</pre>`}`;
}

type Rollback = NonNullable<NonNullable<HostRun['outcome']>['rollback']>;
type Check = { name: string; ok: boolean; detail?: string };

/**
 * The rollback and, once it ran, its proof: the host's files match their pre-apply hashes and its live state is as
 * before (restoreChecks), as `hostnet host` prints it, before the diff the run had written and the rollback undid.
 */
function renderRollback(rollback: Rollback): string {
  const armed = `<p>Rollback armed for ${rollback.armedSeconds} s${rollback.triggered ? ', <strong>triggered</strong>' : ', not triggered'}.</p>`;
  if (!rollback.triggered) return armed;
  if (rollback.unconfirmed) return `${armed}<section class="restore-proof" aria-label="Rollback proof"><p class="fail unconfirmed">The host is ${e(presumedRestore(rollback.unconfirmed))}.</p></section>`;
  const proof = rollback.restoreChecks ?? [];
  const whole = proof.length > 0 && proof.every((c) => c.ok);
  const at = rollback.restoredAt ? ` at <time datetime="${e(rollback.restoredAt)}">${e(rollback.restoredAt)}</time>` : '';
  const verdict = proof.length === 0 ? ' (no restore checks recorded).' : whole ? ', checked:' : ', <strong>NOT all of it</strong>:';
  return (
    `${armed}<section class="restore-proof" aria-label="Rollback proof"><p class="${whole ? 'pass' : 'fail'}">The host restored its previous configuration${at}${verdict}</p>` +
    (proof.length > 0 ? checksTable(proof) : '') +
    '</section>'
  );
}

function renderChecks(verification: NonNullable<HostRun['outcome']>['verification']): string {
  if (!verification) return '<p class="empty">No verification recorded for this run.</p>';
  if (verification.checks.length === 0 && !verification.ok) return '<p class="fail not-verified">Not verified: the run ended before verification (its reason says why).</p>';
  return `<p class="${verification.ok ? 'pass' : 'fail'}">${verification.ok ? 'All checks passed.' : 'Verification failed.'}</p>${checksTable(verification.checks)}`;
}

function checksTable(checks: readonly Check[]): string {
  const rows = checks.map((c) => `<tr class="${c.ok ? 'pass' : 'fail'}"><td>${c.ok ? '✔ pass' : '✘ FAIL'}</td><td>${e(c.name)}</td><td>${e(c.detail ?? '')}</td></tr>`);
  return `<table class="checks"><thead><tr><th scope="col">Result</th><th scope="col">Check</th><th scope="col">Detail</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderCalls(run: HostRun): string {
  const attempts = run.enableAttempts > 1 ? `<p>${run.enableAttempts} enable attempts, retried with backoff.</p>` : '';
  if (run.cloudstackCalls.length === 0) return `${attempts}<p class="empty">No CloudStack call for this run.</p>`;
  const rows = run.cloudstackCalls.map(
    (c) => `<tr class="${c.ok ? 'pass' : 'fail'}"><td><code>${e(c.command)}</code></td><td>${c.ok ? 'ok' : 'failed'}</td><td>${e(c.error ?? '')}</td><td><time datetime="${e(c.at)}">${e(c.at)}</time></td></tr>`,
  );
  return `${attempts}<table class="calls"><thead><tr><th scope="col">Command</th><th scope="col">Result</th><th scope="col">Error</th><th scope="col">At</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderRejected(rejected: readonly RejectedResultRecord[]): string {
  const items = rejected.slice(0, 10).map((r) => `<li><time datetime="${e(r.at)}">${e(r.at)}</time> ${e(r.status)} from ${e(r.resultJobId)}: ${e(r.reason)}</li>`);
  return `<section class="rejected" aria-label="Refused results"><h3>Results api refused</h3><ul>${items.join('')}</ul></section>`;
}
