import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { peakRssMiB, processCpuMs } from './proc-stat';

/** The worker's built main, next to this file's compiled location (dist/test/bench). */
const WORKER_MAIN = join(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.js');

/**
 * The real worker main as a child process, so its memory is its own: peak RSS is read from the
 * kernel (VmHWM), not guessed from a process that also hosts the simulator and the api.
 */
export class WorkerProcess {
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
  }

  static async start(env: Record<string, string>, timeoutMs = 30_000): Promise<WorkerProcess> {
    const child = spawn(process.execPath, [WORKER_MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = new WorkerProcess(child);
    const deadline = Date.now() + timeoutMs;
    while (!/worker started/.test(worker.output)) {
      if (child.exitCode !== null) throw new Error(`worker exited with code ${child.exitCode}:\n${worker.output}`);
      if (Date.now() > deadline) throw new Error(`worker did not start in ${timeoutMs} ms:\n${worker.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Peak resident set size so far, in MiB (kernel high-water mark). */
  peakRssMiB(): number {
    return peakRssMiB(this.pid);
  }

  /** CPU time (user + system) the worker has used so far, ms, as the kernel counts it. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** The last lines the worker printed (for a failure report). */
  tail(lines = 30): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM (graceful: Nest drains the worker), SIGKILL after the grace period. */
  async stop(graceMs = 15_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}
