import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..');
/** The built worker and api mains, as `npm run build` emits them. */
export const WORKER_MAIN = join(REPO, 'dist', 'apps', 'worker', 'src', 'main.js');
export const API_MAIN = join(REPO, 'dist', 'apps', 'api', 'src', 'main.js');
/** The built CLI (`hostnet`), from the same build. */
export const CLI_MAIN = join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js');
const APP_SOURCES = ['apps/worker/src', 'apps/api/src', 'apps/simulator/src', 'apps/cli/src', 'libs'];

/**
 * Makes sure dist holds a worker and an api (and the simulator they may load) built from the current sources: builds them when missing
 * (`npm test` builds first, so this only happens in a bare `npx jest`), and refuses stale ones with the fix.
 */
export function ensureBuiltApps(): void {
  const missing = [WORKER_MAIN, API_MAIN].find((main) => !existsSync(main));
  if (missing) {
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
    if (build.status !== 0 || !existsSync(WORKER_MAIN) || !existsSync(API_MAIN)) {
      throw new Error(`${missing} is missing and \`npm run build\` failed:\n${`${build.stdout}${build.stderr}`.slice(-3000)}`);
    }
    return;
  }
  const builtAt = Math.min(statSync(WORKER_MAIN).mtimeMs, statSync(API_MAIN).mtimeMs);
  const newer = APP_SOURCES.flatMap((dir) => sourcesNewerThan(join(REPO, dir), builtAt));
  if (newer.length > 0) {
    throw new Error(`dist is older than ${newer.slice(0, 3).join(', ')}: run \`npm run build\` (or \`npm test\`, which builds first)`);
  }
}

function sourcesNewerThan(dir: string, time: number): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourcesNewerThan(path, time);
    // the simulator's stand-ins are JavaScript and shell, copied to dist as they are
    const source = /\.(ts|js|sh|bash)$/.test(entry.name) && !/\.(spec|d)\.ts$/.test(entry.name);
    return source && statSync(path).mtimeMs > time ? [path.slice(REPO.length + 1)] : [];
  });
}

/** A worker (or api) running as its own process from dist (so a test can SIGKILL it), with its output kept. */
export class WorkerProcess {
  readonly output: string[] = [];
  private readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `node dist/apps/worker/src/main.js` (or another built `main`) with exactly `env` (plus PATH and HOME). */
  static start(env: Record<string, string>, main = WORKER_MAIN): WorkerProcess {
    const child = spawn(process.execPath, [main], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('worker process did not start');
    return this.child.pid;
  }

  /** Resolves once a line matching `pattern` was printed; rejects when the process exits first or time runs out. */
  async waitForLine(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let exited = false;
    void this.exit.then(() => (exited = true));
    for (;;) {
      const line = this.output.find((l) => pattern.test(l));
      if (line) return line;
      if (exited || Date.now() > deadline) {
        throw new Error(`worker ${exited ? 'exited' : 'timed out'} before printing ${pattern}; output:\n${this.output.join('\n').slice(-3000)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends `signal` without waiting for anything (SIGSTOP, SIGCONT). */
  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  /** Sends `signal` and waits for the process to exit. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit;
  }

  /** Graceful stop (SIGTERM, then SIGKILL after `graceMs`). */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.kill('SIGTERM');
    clearTimeout(timer);
  }
}

/** The worker processes a spec starts one after another (a restart after a kill), each ready when returned; stopped together. */
export class StartedWorkers {
  private readonly started: WorkerProcess[] = [];

  async start(env: Record<string, string>): Promise<WorkerProcess> {
    const worker = WorkerProcess.start({ ...env, LOG_LEVEL: 'log' });
    this.started.push(worker);
    await worker.waitForLine(/worker started/);
    return worker;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((w) => w.stop()));
  }
}
