import { createHash } from 'node:crypto';
import type { RenderedConfig } from '@hostnet/render';
import type { FileDiff } from '../domain/apply-outcome';
import type { HostFacts } from '../domain/host-facts';
import { unifiedDiff } from '@hostnet/render';

/** sha256 hex of a file's content as the host's `sha256sum` computes it. */
export function contentSha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * Compares rendered files with what the host has: content hash and mode decide create/update/same;
 * a `removes` entry that exists on the host is a delete (absent ones are not listed).
 */
export function diffFiles(rendered: RenderedConfig, facts: HostFacts, withText: boolean): FileDiff[] {
  const out: FileDiff[] = rendered.files.map((file) => {
    const current = facts.files.get(file.path);
    if (!current) {
      return withText ? { path: file.path, change: 'create', unified: unifiedDiff(file.path, '', file.content) } : { path: file.path, change: 'create' };
    }
    const same = current.sha256 === contentSha256(file.content) && current.mode === file.mode;
    if (same) return { path: file.path, change: 'same' };
    const diff: FileDiff = { path: file.path, change: 'update' };
    if (withText) {
      diff.unified =
        current.content === undefined
          ? `--- ${file.path} (too large to show)\n`
          : unifiedDiff(file.path, current.content, file.content) +
            (current.mode !== file.mode ? `mode ${current.mode.toString(8)} -> ${file.mode.toString(8)}\n` : '');
    }
    return diff;
  });
  for (const path of rendered.removes) {
    const current = facts.files.get(path);
    if (!current) continue;
    const moved = rendered.neutralised?.find((n) => n.path === path);
    const reason = moved ? { reason: `configures ${moved.interfaces.join(', ')}, which hostnet manages: moved into the run's backup (back on rollback)` } : {};
    out.push(withText ? { path, change: 'delete', unified: unifiedDiff(path, current.content ?? '', ''), ...reason } : { path, change: 'delete', ...reason });
  }
  return out;
}
