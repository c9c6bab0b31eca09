import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** One of hostnet's apps (api or worker) run from the build, as in production. */
export class AppProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly output: string[],
  ) {}

  static start(app: 'api' | 'worker', env: Record<string, string>, onLine: (line: string) => void): AppProcess {
    const main = join(__dirname, '..', '..', '..', app, 'src', 'main.js');
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        output.push(line);
        onLine(line);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    return new AppProcess(app, child, output);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** SIGTERM (graceful: Nest's shutdown hooks drain jobs), then SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    const done = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await done;
    clearTimeout(timer);
  }
}
