import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import type { SimulatedZoneOptions } from '@hostnet/simulator/environment/simulated-zone';
import { IpcChild } from './ipc-child';
import { processTreeCpuMs } from './proc-stat';
import type { HostCounters } from './rollout-figures';

const ZONE_MAIN = join(__dirname, 'zone-process.main.js');

/** A CloudStack call as the bench counts it. */
export interface BenchCall {
  command: string;
  params: Record<string, string>;
  /** When the simulator received it (ms since the epoch). */
  atMs: number;
}

/** Every simulated host's SSH counters, in the order of `ZoneStarted.hosts`. */
export interface ZoneCounters {
  connections: number[];
  execs: number[];
}

export interface ZoneStarted {
  env: Record<string, string>;
  zoneId: string;
  /** Every simulated host: its name, its CloudStack id, where its SSH server listens. */
  hosts: { name: string; id: string; host: string; port: number; knownHostsLine: string }[];
  /** The processes that start the hosts' commands (see kvm-host-exec-spawner.ts): one per host thread. */
  spawnerPids: number[];
}

/** The zone the bench asks for: the hosts spread over `hostThreads` worker threads of the zone process. */
export interface BenchZoneOptions extends SimulatedZoneOptions {
  hostThreads: number;
}

/**
 * The simulated zone (every simulated host, the CloudStack simulator, Redis) in a child process,
 * so the CPU the bench process spends is api's and the simulators' is nobody's that is measured.
 */
export class ZoneProcess {
  private constructor(
    private readonly child: IpcChild,
    readonly started: ZoneStarted,
  ) {}

  static async start(options: BenchZoneOptions): Promise<ZoneProcess> {
    const child = IpcChild.start(ZONE_MAIN, memoryTmpdir());
    try {
      const started = await child.request<ZoneStarted>('start', options);
      for (const pid of started.spawnerPids) renice(pid);
      // after the start, so the zone's Redis (hostnet's, not a simulated machine) keeps its priority
      if (child.pid > 0) for (const thread of threadsOf(child.pid)) renice(thread);
      return new ZoneProcess(child, started);
    } catch (error) {
      await child.stop();
      throw error;
    }
  }

  get env(): Record<string, string> {
    return this.started.env;
  }

  /** CPU the simulators have used so far (the zone process and every command its hosts ran), ms. */
  cpuMs(): number {
    return this.child.treeCpuMs() + this.started.spawnerPids.reduce((sum, pid) => sum + liveTreeCpuMs(pid), 0);
  }

  async counters(): Promise<HostCounters[]> {
    const c = await this.child.request<ZoneCounters>('counters');
    return c.connections.map((connections, i) => ({ connections, execs: c.execs[i]! }));
  }

  calls(): Promise<BenchCall[]> {
    return this.child.request<BenchCall[]>('calls');
  }

  /** Per host (in the order of `started.hosts`): applies that ever began, from the on-host run journals. */
  applyBegins(): Promise<number[]> {
    return this.child.request<number[]>('applyBegins');
  }

  clearCalls(): Promise<void> {
    return this.child.request<void>('clearCalls');
  }

  /** Stops every host (their processes and root directories) before the process ends; a busy machine gets time for it. */
  stop(): Promise<void> {
    return this.child.stop(60_000 + 250 * this.started.hosts.length);
  }
}

/**
 * The simulated hosts' root directories in memory (/dev/shm) when this machine has it. On disk they shared
 * one filesystem journal: every host's on-host `sync` and every stand-in state write (write, rename)
 * waited on the same disk, a cost a fleet of real hosts, each with its own disk, does not have.
 */
function memoryTmpdir(): Record<string, string> {
  try {
    accessSync(SHM, constants.W_OK);
    return statSync(SHM).isDirectory() ? { TMPDIR: SHM } : {};
  } catch {
    return {};
  }
}

const SHM = '/dev/shm';

/**
 * The simulated machines yield the CPU to api, the worker and Redis: the hosts' commands (the spawner and
 * every shell it starts inherit it) and the zone process's threads, where the hosts' SSH servers, the
 * lean host model and the CloudStack simulator run. A fleet runs each host on its own CPUs and
 * CloudStack on its own servers; here they share two cores with hostnet, and at equal priority a thousand
 * hosts' shells (and, with the lean model, their SSH servers) delayed api's recording of results by
 * seconds that no deployment would see. Their CPU is still counted (cpuMs).
 */
const HOST_COMMAND_NICENESS = 10;

/** HOST_COMMAND_NICENESS for a thread or process; one that ended meanwhile (ESRCH) has nothing to yield. */
function renice(pid: number): void {
  try {
    setPriority(pid, HOST_COMMAND_NICENESS);
  } catch (error) {
    if ((error as { info?: { code?: string } }).info?.code !== 'ESRCH') throw error;
  }
}

/** Every thread of a process (a niceness is a thread's own on Linux: the host threads need theirs set too). */
function threadsOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).map(Number);
}

/** A live process's tree CPU (0 once it is gone: its CPU then shows in its parent's children time). */
function liveTreeCpuMs(pid: number): number {
  try {
    return processTreeCpuMs(pid);
  } catch {
    return 0;
  }
}
