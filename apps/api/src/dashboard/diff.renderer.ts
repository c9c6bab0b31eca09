import type { ApplyOutcomeSummary } from '@hostnet/contracts';
import { escapeHtml as e } from './html-escape';

type Diff = NonNullable<ApplyOutcomeSummary['diff']>;

/** A run's per-file changes (each file's unified diff, line by line, escaped, when the run kept it), then its live differences. */
export function renderDiff(diff: Diff | undefined): string {
  if (!diff) return '<p class="empty">No diff recorded for this run.</p>';
  const changed = diff.files.filter((f) => f.change !== 'same');
  // the live differences too when no file differs: an MTU or a link set by hand is all such a run finds
  const files = changed.length === 0 ? '<p class="empty">No file differs.</p>' : renderFileDiffs(changed);
  const live = diff.live.length ? `<h5>Live changes</h5><ul class="live-changes">${diff.live.map((l) => `<li><code>${e(l)}</code></li>`).join('')}</ul>` : '';
  return files + live;
}

type FileDiff = Diff['files'][number];

/** Each file's unified diff (escaped, line by line), open; shared by a run's diff and a relabel step's. */
export function renderFileDiffs(files: readonly FileDiff[]): string {
  return files
    .map(
      (f) =>
        `<details class="diff-file" open><summary><code>${e(f.path)}</code> <span class="change change-${e(f.change)}">${e(f.change)}</span>${f.reason ? ` <span class="reason">${e(f.reason)}</span>` : ''}</summary>` +
        (f.unified ? `<pre class="diff">${f.unified.split('\n').map(diffLine).join('\n')}</pre>` : '<p class="empty">Diff text is kept for dry-runs only.</p>') +
        '</details>',
    )
    .join('');
}

function diffLine(line: string): string {
  const kind = line.startsWith('+++') || line.startsWith('---') ? 'file' : line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : '';
  return kind ? `<span class="${kind}">${e(line)}</span>` : e(line);
}
