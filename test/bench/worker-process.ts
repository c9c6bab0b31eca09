import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { workerEnvOf } from '@hostnet/simulator/environment/worker-env';
import { cpuProfileArgs } from './cpu-profile-args';
import { peakRssMiB, processCpuMs } from './proc-stat';

/** The worker's built main, next to this file's compiled location (dist/test/bench). */
const WORKER_MAIN = join(__dirname, '..', '..', 'apps', 'worker', 'src', 'main.js');
/** The api's built main, for a second api replica in its own process (the scale-out bench). */
export const API_MAIN = join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js');

/**
 * The real worker main as a child process, so its memory is its own: peak RSS is read from the
 * kernel (VmHWM), not guessed from a process that also hosts the simulator and the api.
 */
export class WorkerProcess {
  private output = '';
  private readonly partial = { stdout: '', stderr: '' };
  private outcomes = 0;

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => this.keep('stdout', d.toString()));
    child.stderr?.on('data', (d: Buffer) => this.keep('stderr', d.toString()));
  }

  /**
   * The real worker main (or `main`, e.g. API_MAIN) with `env` plus PATH (the worker without CLOUDSTACK_*); resolves once it printed
   * `ready` (the worker's "worker started" by default).
   */
  static async start(env: Record<string, string>, timeoutMs = 30_000, main = WORKER_MAIN, ready = /worker started/): Promise<WorkerProcess> {
    const own = main === WORKER_MAIN ? workerEnvOf(env) : env;
    const child = spawn(process.execPath, [...cpuProfileArgs(), main], { env: { PATH: process.env.PATH ?? '', ...own }, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker = new WorkerProcess(child);
    const deadline = Date.now() + timeoutMs;
    while (!ready.test(worker.output)) {
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

  /** Host runs this worker logged an outcome for (its `phase=outcome` lines, LOG_LEVEL log or finer, colour codes taken out). */
  outcomeLines(): number {
    return this.outcomes;
  }

  private keep(stream: 'stdout' | 'stderr', text: string): void {
    this.output = (this.output + text).slice(-20_000);
    const lines = (this.partial[stream] + text).split('\n');
    this.partial[stream] = lines.pop() ?? '';
    // Nest's pretty lines are coloured: the codes come out before matching
    this.outcomes += lines.filter((line) => /(^|\s)phase=outcome /.test(line.replace(/\x1b\[[0-9;]*m/g, ''))).length;
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
