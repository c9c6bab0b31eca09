import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The layout DEVELOPERS.md describes, checked: Nest wiring lives in libs/platform alone (the domain
 * libs stay plain TypeScript, testable with tables of inputs), no lib reaches into an app, and the libs
 * import one another without a cycle.
 */
const ROOT = join(__dirname, '..', '..');
const LIBS = join(ROOT, 'libs');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'|require\('([^']+)'\)/g)].map((m) => m[1] ?? m[2] ?? '');
}

const libs = readdirSync(LIBS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
const importsByLib = new Map(libs.map((lib) => [lib, sourceFiles(join(LIBS, lib, 'src')).map((file) => ({ file: relative(ROOT, file), imports: importsOf(file) }))]));

describe('library boundaries', () => {
  it('finds the libs and their imports (the scan itself works)', () => {
    expect(libs).toEqual(expect.arrayContaining(['contracts', 'host-spec', 'intent', 'platform', 'render']));
    expect(importsByLib.get('host-spec')!.some((f) => f.imports.includes('@hostnet/intent'))).toBe(true);
  });

  it('keeps Nest in libs/platform: every other lib is plain TypeScript', () => {
    const offenders = [...importsByLib].filter(([lib]) => lib !== 'platform').flatMap(([, files]) => files.filter((f) => f.imports.some((i) => i.startsWith('@nestjs/'))).map((f) => f.file));
    expect(offenders).toEqual([]);
  });

  it('never reaches from a lib into an app', () => {
    const offenders = [...importsByLib].flatMap(([, files]) => files.filter((f) => f.imports.some((i) => i.startsWith('@hostnet/simulator') || /(^|\/)apps\//.test(i))).map((f) => f.file));
    expect(offenders).toEqual([]);
  });

  it('has no cycle among the libs', () => {
    const edges = new Map(
      [...importsByLib].map(([lib, files]) => [
        lib,
        new Set(files.flatMap((f) => f.imports.map((i) => /^@hostnet\/([a-z-]+)/.exec(i)?.[1]).filter((dep): dep is string => dep !== undefined && dep !== lib && libs.includes(dep)))),
      ]),
    );
    const cycles: string[] = [];
    const visit = (lib: string, path: string[]): void => {
      if (path.includes(lib)) {
        cycles.push([...path.slice(path.indexOf(lib)), lib].join(' → '));
        return;
      }
      for (const dep of edges.get(lib) ?? []) visit(dep, [...path, lib]);
    };
    for (const lib of libs) visit(lib, []);
    expect(cycles).toEqual([]);
  });
});
