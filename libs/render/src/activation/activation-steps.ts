import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { ACTIVATION_SNIPPETS, snippetArgv } from './activation-snippets';

/** A file as the host had it before the run; `content` is undefined when it was too large to read. */
export interface PreviousFile {
  content?: string;
}

export type PreviousFiles = ReadonlyMap<string, PreviousFile>;

const S = ACTIVATION_SNIPPETS;

export const activateStep = (name: string, argv: string[]): ApplyStep => ({ name, argv, phase: 'activate' });

/**
 * ifdown of an interface whose file no longer describes what runs fails harmlessly; the ifup is what
 * counts. `flush`: its IPv4 addresses go too (ifdown of an interface the file no longer names runs
 * nothing, and an address left behind makes the new owner's `address`/`gateway` fail).
 */
export const ifdownQuietly = (prefix: string, name: string, force: boolean, flush = false): ApplyStep =>
  activateStep(`${prefix}-ifdown-${name}`, snippetArgv(force ? (flush ? S.ifdownForceFlush : S.ifdownForce) : flush ? S.ifdownFlush : S.ifdown, [name]));

/** Paths the run writes with content other than the host's, and removes that exist on the host. */
export function changedPaths(rendered: RenderedConfig, previous: PreviousFiles): string[] {
  const written = rendered.files.filter((f) => !previous.has(f.path) || previous.get(f.path)!.content !== f.content).map((f) => f.path);
  return [...written, ...rendered.removes.filter((path) => previous.has(path))];
}

/** True when a changed file's old content is unknown (too large to ship): no surgical plan is possible. */
export function unreadable(changed: string[], previous: PreviousFiles): boolean {
  return changed.some((path) => previous.has(path) && previous.get(path)!.content === undefined);
}
