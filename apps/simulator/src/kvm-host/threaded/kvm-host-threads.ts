import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LiveState } from '@hostnet/intent';
import type { KvmHostPersona } from '../kvm-host-personas';
import type { KvmHostSshStats } from '../kvm-host-ssh.server';
import { readLiveHistoryAt, readLiveStateAt, type LiveHistoryEntry, type SimulatedKvmHostOptions } from '../simulated-kvm-host';
import type { HostThreadReply, HostThreadRequest, StartedInThread, ThreadStats } from './kvm-host-thread.protocol';

const THREAD_MAIN = join(__dirname, 'kvm-host-thread.main.js');

type Request = HostThreadRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** One worker thread running a share of the hosts; requests answered by id. */
class HostThread {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 1;
  private failure?: Error;
  private terminating = false;
  readonly spawnerPids = new Set<number>();

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: HostThreadReply) => {
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.value);
    });
    // a thread that dies takes its hosts with it: said at once, or the bench would see refused connections and blame the worker
    const fail = (error: Error) => {
      if (!this.failure && !this.terminating) process.stderr.write(`${error.message}: its simulated hosts are gone\n`);
      this.failure ??= error;
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`simulated host thread failed: ${error.stack ?? error.message}`)));
    worker.on('exit', (code) => fail(new Error(`simulated host thread exited with code ${code}`)));
  }

  request<T>(request: Request): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  /** Stops the thread's hosts (their processes and root directories), then the thread. */
  async stop(): Promise<void> {
    try {
      if (!this.failure) await this.request({ op: 'stopAll' });
    } finally {
      this.terminating = true;
      await this.worker.terminate();
    }
  }
}

/**
 * A simulated host started in one of KvmHostThreads' threads: its SSH server, stand-ins and lean model run
 * there; what the zone reads of it (its files) is read from here.
 */
export class ThreadedKvmHost {
  readonly name: string;
  readonly persona: KvmHostPersona;
  readonly rootDir: string;
  readonly endpoint: { host: string; port: number };
  private readonly knownHosts: string;

  constructor(
    started: StartedInThread,
    private readonly thread: HostThread,
    private readonly stopped: () => void,
  ) {
    ({ name: this.name, persona: this.persona, rootDir: this.rootDir, endpoint: this.endpoint, knownHostsLine: this.knownHosts } = started);
  }

  knownHostsLine(): string {
    return this.knownHosts;
  }

  readLiveState(): LiveState {
    return readLiveStateAt(this.rootDir);
  }

  readLiveHistory(): LiveHistoryEntry[] {
    return readLiveHistoryAt(this.rootDir);
  }

  async stop(): Promise<void> {
    await this.thread.request({ op: 'stop', name: this.name });
    this.stopped();
  }
}

/**
 * Simulated hosts spread over worker threads. In one thread, a thousand hosts' SSH servers and lean host
 * models queue behind each other on one event loop (the bench's zone loop was late by 10–30 ms at the
 * median under load, on every round trip of every host), a wait no fleet of real hosts has. Runs from the
 * build (npm run build): a thread loads compiled JavaScript.
 */
export class KvmHostThreads {
  private next = 0;
  /** Names of the hosts started or starting, in any thread: each thread and the counters key hosts by name. */
  private readonly names = new Set<string>();

  private constructor(private readonly threads: HostThread[]) {}

  static start(count: number): KvmHostThreads {
    if (!Number.isInteger(count) || count < 1) throw new Error(`host threads must be a whole number of at least 1, got ${count}`);
    if (!existsSync(THREAD_MAIN)) throw new Error(`${THREAD_MAIN} is missing: threaded simulated hosts run from the build (npm run build)`);
    return new KvmHostThreads(Array.from({ length: count }, () => new HostThread(new Worker(THREAD_MAIN))));
  }

  /** Starts a host in the next thread, round robin. */
  async startHost(options: SimulatedKvmHostOptions): Promise<ThreadedKvmHost> {
    if (this.names.has(options.name)) throw new Error(`a simulated host named ${options.name} already runs in these threads`);
    this.names.add(options.name);
    const thread = this.threads[this.next++ % this.threads.length]!;
    try {
      const started = await thread.request<StartedInThread>({ op: 'start', options });
      if (started.spawnerPid !== undefined) thread.spawnerPids.add(started.spawnerPid);
      return new ThreadedKvmHost(started, thread, () => this.names.delete(options.name));
    } catch (error) {
      this.names.delete(options.name);
      throw error;
    }
  }

  /** Every host's SSH counters, by host name. */
  async stats(): Promise<Map<string, KvmHostSshStats>> {
    const all = await Promise.all(this.threads.map((t) => t.request<ThreadStats>({ op: 'stats' })));
    return new Map(all.flatMap((stats) => Object.entries(stats)));
  }

  /** The processes that start the hosts' commands: one per thread whose hosts ran any. */
  spawnerPids(): number[] {
    return this.threads.flatMap((t) => [...t.spawnerPids]);
  }

  /** Stops every host still running (their processes and root directories), then the threads. */
  async stop(): Promise<void> {
    const stopped = await Promise.allSettled(this.threads.map((t) => t.stop()));
    this.names.clear();
    const failures = stopped.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
    if (failures.length > 0) throw new Error(`simulated host threads did not stop cleanly: ${failures.join('; ')}`);
  }
}
