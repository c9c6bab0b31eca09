import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { STANDINS_DIR } from './kvm-host-standins';

/** Where the hosts' stand-in clients connect. */
export interface StandinEndpoint {
  port: number;
  token: string;
}

/**
 * The simulator process's stand-in server (standins/server.js) in a worker thread: it runs every simulated
 * host's stand-ins (ip, ovs-vsctl, the activations, ping, sudo's log), whose executables are bash clients
 * (standins/client.bash). That replaces a node start (tens of ms of CPU) per command with a bash start and
 * a loopback round trip; the worker answers even while the main thread is blocked (spawnSync in a spec).
 * Started by the first host, ended with the last.
 */
export class StandinServer implements StandinEndpoint {
  private static current?: { server: Promise<StandinServer>; users: number };
  private nextId = 1;
  private readonly pending = new Map<number, (value: unknown) => void>();

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    readonly token: string,
  ) {
    worker.on('message', (message: { id?: number; value?: unknown }) => {
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message.value);
      this.pending.delete(message.id);
    });
  }

  /** The process's server (started on first use), answering for the host's .sim dir from now on. */
  static async acquire(simDir: string): Promise<StandinServer> {
    const current = (StandinServer.current ??= { server: StandinServer.start(), users: 0 });
    current.users += 1;
    try {
      const server = await current.server;
      await server.send('add', simDir);
      return server;
    } catch (error) {
      await StandinServer.release(simDir);
      throw error;
    }
  }

  /** The host stopped: its running commands are dropped, it is forgotten; the last host ends the server. */
  static async release(simDir: string): Promise<void> {
    const current = StandinServer.current;
    if (!current) return;
    current.users -= 1;
    const last = current.users === 0; // decided now: later releases of the same server see 0 too
    if (last) StandinServer.current = undefined;
    const server = await current.server.catch(() => undefined);
    if (!server) return;
    await server.send('remove', simDir);
    if (last) await server.worker.terminate();
  }

  /**
   * Drops the host's commands still running (a reboot killed their clients): none of them changes
   * anything from now on, even if the server has not yet seen its client's connection close.
   */
  async cancelHost(simDir: string): Promise<void> {
    await this.send('cancel', simDir);
  }

  /**
   * CPU the stand-in server's thread has used so far (ms; undefined when no host runs): the hosts'
   * commands' cost inside this process, for a bench that reads the process's CPU and wants it apart.
   */
  static async cpuMs(): Promise<number | undefined> {
    const server = await StandinServer.current?.server.catch(() => undefined);
    return server ? ((await server.send('cpu', '')) as number) : undefined;
  }

  private static start(): Promise<StandinServer> {
    const worker = new Worker(join(STANDINS_DIR, 'server.js'));
    worker.unref(); // the hosts' SSH servers keep the process alive, not this thread
    return new Promise<StandinServer>((resolve, reject) => {
      worker.on('error', (error) => {
        // A bug in the stand-ins' code: every later command of every host fails to connect (exit 255).
        process.stderr.write(`hostnet simulator: the stand-in server thread failed: ${error.stack ?? error.message}\n`);
        reject(error);
      });
      worker.on('message', (message: { ready?: StandinEndpoint }) => {
        if (message.ready) resolve(new StandinServer(worker, message.ready.port, message.ready.token));
      });
      worker.once('exit', (code) => reject(new Error(`the stand-in server thread exited (${code}) before listening`)));
    });
  }

  private send(op: 'add' | 'remove' | 'cancel' | 'cpu', simDir: string): Promise<unknown> {
    const id = this.nextId++;
    return new Promise<unknown>((resolve) => {
      this.pending.set(id, resolve);
      this.worker.postMessage({ id, op, simDir });
    });
  }
}
