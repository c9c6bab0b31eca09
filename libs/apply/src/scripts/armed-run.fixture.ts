import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RESTORE_SCRIPT } from './restore.script';

/** What an armed run's directory holds beyond its restore.sh, as the apply left it (paths relative to the run). */
export interface ArmedRunFiles {
  journal: string;
  manifest?: string;
  /** Any other file of the run: `owns`, `links`, `restore-steps/01`, `files/etc/…` (a backup). */
  [path: string]: string | undefined;
}

/**
 * Run r1 armed under a host root of its own (HOSTNET_ROOT), for the unit specs of restore.sh: state.json says armed,
 * the run directory holds restore.sh and `files`; `tools` are stand-ins put first on PATH.
 */
export class ArmedRun {
  readonly root = mkdtempSync(join(tmpdir(), 'hostnet-armed-run-'));
  readonly dir = join(this.root, 'var/lib/hostnet/backups/r1');
  private readonly bin = join(this.root, 'bin');

  constructor(files: ArmedRunFiles, tools: Record<string, string> = {}) {
    mkdirSync(this.bin, { recursive: true });
    for (const [name, text] of Object.entries(tools)) writeFileSync(join(this.bin, name), text, { mode: 0o755 });
    this.write('../../state.json', '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');
    for (const [path, text] of Object.entries({ manifest: '', ...files })) if (text !== undefined) this.write(path, text);
    this.write('restore.sh', RESTORE_SCRIPT);
  }

  /** What the scripts run with: the stand-ins first on PATH, the host root. */
  get env(): NodeJS.ProcessEnv {
    return { PATH: `${this.bin}:${process.env.PATH}`, HOSTNET_ROOT: this.root };
  }

  /** `restore.sh <run> now test`, after `before` (shell) and in a network namespace of its own when `netns` (needs root). */
  restore({ before = '', netns = false }: { before?: string; netns?: boolean } = {}): SpawnSyncReturns<string> {
    const script = `set -e\n${before}\nsh '${this.dir}/restore.sh' '${this.dir}' now test`;
    const argv = netns ? ['unshare', '--net', 'sh', '-c', script] : ['sh', '-c', script];
    return spawnSync(argv[0]!, argv.slice(1), { env: this.env, encoding: 'utf8' });
  }

  journal(): string {
    return readFileSync(join(this.dir, 'journal'), 'utf8');
  }

  /** A file under the host root (`etc/…`) or written by a tool stand-in there. */
  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  private write(path: string, text: string): void {
    const at = join(this.dir, path);
    mkdirSync(dirname(at), { recursive: true });
    writeFileSync(at, text);
  }
}
