import type { KvmHostPersona } from '../kvm-host-personas';
import type { KvmHostSshStats } from '../kvm-host-ssh.server';
import type { SimulatedKvmHostOptions } from '../simulated-kvm-host';

/** What the pool asks a host thread (kvm-host-thread.main.ts), each with an id its answer carries back. */
export type HostThreadRequest =
  | { id: number; op: 'start'; options: SimulatedKvmHostOptions }
  | { id: number; op: 'stats' }
  | { id: number; op: 'stop'; name: string }
  | { id: number; op: 'stopAll' };

/** A host as started in its thread: what the pool's proxy needs to stand for it. */
export interface StartedInThread {
  name: string;
  persona: KvmHostPersona;
  rootDir: string;
  endpoint: { host: string; port: number };
  knownHostsLine: string;
  /** The thread's exec spawner process, once one of its hosts started it. */
  spawnerPid?: number;
}

export type ThreadStats = Record<string, KvmHostSshStats>;

export type HostThreadReply = { id: number; value?: unknown; error?: string };
