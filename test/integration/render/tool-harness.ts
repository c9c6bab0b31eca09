import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RenderedFile } from '@hostnet/render';

/** Result of one real tool run. */
export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs argv with a bounded timeout, never through a shell. */
export function run(argv: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): ToolRun {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 20_000, env: opts.env ?? process.env, input: opts.input, cwd: opts.cwd });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

const created: string[] = [];

/** A fresh temp dir, removed by cleanupTempDirs(). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hostnet-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Removes every temp dir this test file created (call from afterAll). */
export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes rendered files under root with their modes. */
export function writeUnder(root: string, files: RenderedFile[]): void {
  for (const f of files) {
    const path = join(root, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
    chmodSync(path, f.mode);
  }
}

const IFUPDOWN2_SRC = '/opt/hostnet/ifupdown2';

/**
 * A private copy of the unpacked ifupdown2 (it conflicts with ifupdown, so it is not installed):
 * its config files sit where it looks for them beside the package, and its lock file moves into
 * the copy so parallel runs and the real /run/network are left alone. Returns the `ifup` runner.
 */
export function ifupdown2(workDir: string): (args: string[]) => ToolRun {
  const share = join(workDir, 'ifupdown2');
  cpSync(join(IFUPDOWN2_SRC, 'usr/share/ifupdown2'), share, { recursive: true });
  cpSync(join(IFUPDOWN2_SRC, 'etc/network/ifupdown2'), join(share, 'etc/network/ifupdown2'), { recursive: true });
  const mainPy = join(share, 'ifupdown/main.py');
  const patched = readFileSync(mainPy, 'utf8').replace(/^lockfile = .*$/m, `lockfile = ${JSON.stringify(join(workDir, 'ifupdown2.lock'))}`);
  writeFileSync(mainPy, patched);
  // ifupdown2 picks its mode from argv[0]'s name.
  const ifup = join(workDir, 'ifup');
  symlinkSync(join(share, '__main__.py'), ifup);
  return (args) => run(['python3', ifup, ...args], { env: { ...process.env, PYTHONPATH: share } });
}
