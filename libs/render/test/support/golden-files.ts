import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RenderedConfig } from '../../src/domain/rendered-config';

/** libs/render/test/golden: one directory of files per target plus `<target>.steps.json`. */
export const GOLDEN_DIR = join(__dirname, '..', 'golden');

/** Targets whose goldens are slices of the reference (extract-reference-goldens.py), never regenerated. */
export const REFERENCE_TARGETS: readonly string[] = ['el-network-scripts-linux', 'el-network-scripts-ovs', 'debian-ifupdown-linux', 'debian-ifupdown-ovs'];

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

/** Absolute host paths (`/etc/...`) of a target's golden files, sorted. */
export function goldenPaths(target: string): string[] {
  const dir = join(GOLDEN_DIR, target);
  return listFiles(dir).map((f) => `/${relative(dir, f)}`).sort();
}

/** Where the golden copy of a rendered file lives. */
export function goldenFile(target: string, path: string): string {
  return join(GOLDEN_DIR, target, path);
}

/** Where a target's steps/removes/modes golden lives. */
export function goldenStepsFile(target: string): string {
  return join(GOLDEN_DIR, `${target}.steps.json`);
}

/** The steps golden's text: removes, steps and each file's octal mode, in render order. */
export function stepsJson(config: RenderedConfig): string {
  const modes = Object.fromEntries(config.files.map((f) => [f.path, `0${f.mode.toString(8)}`]));
  return `${JSON.stringify({ removes: config.removes, steps: config.steps, modes }, null, 2)}\n`;
}
