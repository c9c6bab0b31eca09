import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** spawner/spawner.js, beside this file in dist (copied as an asset) or in the source tree under jest. */
const SPAWNER_MAIN = [join(__dirname, 'spawner', 'spawner.js'), join(process.cwd(), 'apps/simulator/src/kvm-host/spawner/spawner.js')].find((file) =>
  existsSync(file),
) ?? join(__dirname, 'spawner', 'spawner.js');

/** What a started command reports: its output in order, then how it ended (exactly one of the two last). */
export interface SpawnedCommandEvents {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** The command's output ended and it exited: code, or the signal that ended it. */
  close(code: number | null, signal: NodeJS.Signals | null): void;
  /** The command could not start. */
  error(message: string): void;
}

/** A command running through the spawner: write its stdin, end it, or let go of it (it keeps running). */
export interface SpawnedCommand {
  readonly stdin: Socket;
  /** Holds the command's output back (the reader cannot take more yet), then lets it flow again. */
  pauseOutput(): void;
  resumeOutput(): void;
  /** Closes the command's pipes without stopping it (the SSH channel went away). */
  detach(): void;
}

/**
 * Starts the simulated hosts' commands from a small process of its own (spawner/spawner.js): node forks
 * its whole process for each spawn, and the process that holds every simulated host paid 10+ ms of CPU on
 * its one event loop for each exec (2 ms at 54 MB RSS, 15.6 ms at 475 MB, measured on this machine). One
 * spawner per process, started by the first host and ended with the last, like the stand-in server.
 */
export class ExecSpawner {
  private static current?: { spawner: Promise<ExecSpawner>; users: number };
  private static running?: ExecSpawner;

  /** The spawner process's pid while one runs: the commands' CPU shows in its tree, not in this process's. */
  static get pid(): number | undefined {
    return ExecSpawner.running?.child.pid;
  }

  private constructor(
    private readonly child: ChildProcess,
    private readonly socketPath: string,
    private readonly dir: string,
  ) {}

  static acquire(): Promise<ExecSpawner> {
    const current = (ExecSpawner.current ??= { spawner: ExecSpawner.start(), users: 0 });
    current.users += 1;
    return current.spawner.catch((error: unknown) => {
      ExecSpawner.release();
      throw error;
    });
  }

  static release(): void {
    const current = ExecSpawner.current;
    if (!current) return;
    current.users -= 1;
    if (current.users > 0) return;
    ExecSpawner.current = undefined;
    void current.spawner.then((spawner) => spawner.stop(), () => undefined);
  }

  private static async start(): Promise<ExecSpawner> {
    const dir = mkdtempSync(join(tmpdir(), 'hostnet-spawner-'));
    const socketPath = join(dir, 'spawner.sock');
    const child = fork(SPAWNER_MAIN, [socketPath], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv: [] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('message', (message) => (message === 'ready' ? resolve() : reject(new Error(`exec spawner said ${String(message)}`))));
        child.once('exit', (code, signal) => reject(new Error(`exec spawner exited (${signal ?? code}) before it was ready`)));
        child.once('error', reject);
      });
    } catch (error) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    // Neither the process nor its channel keeps a test's process alive; it exits when we go.
    child.unref();
    child.channel?.unref();
    return (ExecSpawner.running = new ExecSpawner(child, socketPath, dir));
  }

  /** Runs `sh -c command` in `cwd` with exactly `env`. */
  run(command: string, options: { cwd: string; env: Record<string, string> }, on: SpawnedCommandEvents): SpawnedCommand {
    let ended = false;
    const end = (report: () => void): void => {
      if (ended) return;
      ended = true;
      report();
    };
    // Let go only once the command has started: a request still in flight would be lost with the socket.
    let started = false;
    let detached = false;
    const socket = connect({ path: this.socketPath, allowHalfOpen: true });
    socket.on('error', (error) => end(() => on.error(`exec spawner: ${error.message}`)));
    socket.write(`${JSON.stringify({ command, cwd: options.cwd, env: options.env })}\n`);
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      while (buffer.length >= 5) {
        const length = buffer.readUInt32BE(1);
        if (buffer.length < 5 + length) break;
        const type = String.fromCharCode(buffer[0] as number);
        const payload = buffer.subarray(5, 5 + length);
        buffer = buffer.subarray(5 + length);
        if (type === 's') {
          started = true;
          if (detached) socket.destroy();
        } else if (type === 'o') on.stdout(payload);
        else if (type === 'e') on.stderr(payload);
        else if (type === 'x') {
          const { code, signal } = JSON.parse(payload.toString('utf8')) as { code: number | null; signal: NodeJS.Signals | null };
          end(() => on.close(code, signal));
        } else if (type === 'r') end(() => on.error((JSON.parse(payload.toString('utf8')) as { message: string }).message));
      }
    });
    socket.on('close', () => end(() => on.error('exec spawner closed the command without an exit status')));
    return {
      stdin: socket,
      pauseOutput: () => socket.pause(),
      resumeOutput: () => socket.resume(),
      detach: () => {
        ended = true;
        detached = true;
        if (started) socket.destroy();
      },
    };
  }

  private stop(): void {
    if (ExecSpawner.running === this) ExecSpawner.running = undefined;
    this.child.kill('SIGTERM');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
