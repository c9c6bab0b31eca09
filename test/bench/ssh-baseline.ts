import { join } from 'node:path';
import { IpcChild } from './ipc-child';

const BASELINE_MAIN = join(__dirname, 'ssh-baseline.main.js');

/** What the baseline child is asked to do: per host, so many connections and execs, C hosts at a time. */
export interface BaselinePlan {
  keyPath: string;
  command: string;
  concurrency: number;
  targets: { host: string; port: number; hostKeyBase64: string; connections: number; execs: number }[];
}

/** What the child measured itself. */
export interface BaselineRun {
  wallMs: number;
  /** Each host's connects + execs, first connect to last exec's end (hosts that failed left out). */
  perHostMs: number[];
  failures: number;
}

/** One baseline measurement: the bare ssh2 cost of the same SSH work hostnet's worker did. */
export interface BaselineFigures {
  hosts: number;
  concurrency: number;
  connections: number;
  execs: number;
  wallMs: number;
  /** Mean time of one host's connects and execs: the round trips a perfect client cannot avoid. */
  perHostMs: number;
  /** The baseline process's CPU (user + system, /proc), per host, ms. */
  cpuMsPerHost: number;
  failures: number;
}

/** A host as the zone describes it (its known_hosts line carries the key the baseline pins). */
export interface BaselineHost {
  host: string;
  port: number;
  knownHostsLine: string;
}

/**
 * Bare ssh2 connect + exec against the simulated hosts, in its own process so its CPU is read from
 * /proc exactly as the worker's is; it is the in-run yardstick of the pipeline's goals.
 */
export class SshBaseline {
  private constructor(private readonly child: IpcChild) {}

  /** Resolves once the child has loaded ssh2 and answers: its start-up is not counted in any measurement. */
  static async start(): Promise<SshBaseline> {
    const child = IpcChild.start(BASELINE_MAIN);
    try {
      await child.request('ready');
    } catch (error) {
      await child.stop();
      throw error;
    }
    return new SshBaseline(child);
  }

  /** Runs `command` on every host with, per host, the connections and execs given (same order as `hosts`). */
  async measure(input: { hosts: BaselineHost[]; keyPath: string; concurrency: number; command: string; connections: number[]; execs: number[] }): Promise<BaselineFigures> {
    const targets = input.hosts.map((h, i) => ({
      host: h.host,
      port: h.port,
      hostKeyBase64: h.knownHostsLine.split(' ')[2] ?? '',
      connections: Math.max(1, input.connections[i] ?? 1),
      execs: input.execs[i] ?? 0,
    }));
    const cpuBefore = this.child.cpuMs();
    const run = await this.child.request<BaselineRun>('run', { keyPath: input.keyPath, command: input.command, concurrency: input.concurrency, targets } satisfies BaselinePlan);
    const cpuMs = this.child.cpuMs() - cpuBefore;
    const n = targets.length;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    return {
      hosts: n,
      concurrency: input.concurrency,
      connections: sum(targets.map((t) => t.connections)) / n,
      execs: sum(targets.map((t) => t.execs)) / n,
      wallMs: run.wallMs,
      perHostMs: run.perHostMs.length > 0 ? sum(run.perHostMs) / run.perHostMs.length : NaN,
      cpuMsPerHost: cpuMs / n,
      failures: run.failures,
    };
  }

  stop(): Promise<void> {
    return this.child.stop();
  }
}
