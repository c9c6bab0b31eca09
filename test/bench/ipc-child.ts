import { fork, type ChildProcess } from 'node:child_process';
import { cpuProfileArgs } from './cpu-profile-args';
import { processCpuMs, processTreeCpuMs } from './proc-stat';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/**
 * A bench helper in its own node process, asked over the IPC channel: what it spends (CPU, memory)
 * is its own and read from /proc, never mixed with the process that measures it.
 */
export class IpcChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private output = '';

  private constructor(private readonly child: ChildProcess) {
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-20_000)));
    child.on('message', (message: Reply) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error ?? 'failed'));
    });
    child.on('exit', (code, signal) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${this.tail()}\nexited (${signal ?? code}) with a request pending`));
      this.pending.clear();
    });
  }

  /** Forks `script` (a built .js) with this process's environment plus `env`. */
  static start(script: string, env: Record<string, string> = {}): IpcChild {
    const child = fork(script, [], { env: { ...process.env, ...env }, execArgv: [...process.execArgv, ...cpuProfileArgs()], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    return new IpcChild(child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** CPU time (user + system) the child has used so far, ms. */
  cpuMs(): number {
    return processCpuMs(this.pid);
  }

  /** CPU time of the child and of the processes it started and reaped (a simulated host's commands), ms. */
  treeCpuMs(): number {
    return processTreeCpuMs(this.pid);
  }

  request<T>(op: string, arg?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.child.send({ id, op, arg });
    });
  }

  tail(lines = 30): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** Asks the child to stop (op `stop`), SIGKILL when it has not exited after the grace period. */
  async stop(graceMs = 20_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    this.request('stop').catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * The child's side: answers each request with its handler's value; `stop` runs `onStop` then exits.
 * A parent that goes away (the channel closes) stops the child too.
 */
export function serveIpc(handlers: Record<string, (arg: unknown) => unknown>, onStop: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await onStop().catch(() => undefined);
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', (message: { id: number; op: string; arg?: unknown }) => {
    if (message.op === 'stop') return void stop();
    const handler = handlers[message.op];
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown request ${message.op}`);
        return handler(message.arg);
      })
      .then(
        (value) => process.send?.({ id: message.id, ok: true, value }),
        (error: Error) => process.send?.({ id: message.id, ok: false, error: error.message }),
      );
  });
}
