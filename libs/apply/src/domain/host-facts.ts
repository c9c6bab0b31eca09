import type { LiveState } from '@hostnet/intent';

/** Phases of the on-host state machine kept in /var/lib/hostnet/state.json. */
export type HostRunPhase = 'armed' | 'rolling-back' | 'rolled-back' | 'applied';

/** /var/lib/hostnet/state.json as the on-host scripts write it. */
export interface HostRunState {
  runId: string;
  specHash: string;
  phase: HostRunPhase;
  /** Epoch seconds (host clock) when the armed rollback fires. */
  deadline: number;
  /** Spec hash of the last run that was confirmed, carried across later runs. */
  appliedSpecHash: string;
  updatedAt: number;
}

/** One config file as found on the host. */
export interface HostFile {
  path: string;
  sha256: string;
  size: number;
  /** Permission bits, e.g. 0o644. */
  mode: number;
  /** Present when the file was small enough to ship back (for diffs). */
  content?: string;
  /** The path is a symbolic link (size, mode and content are its target's). */
  symlink?: true;
}

/** Everything one facts round trip learns about a host. */
export interface HostFacts {
  osRelease: Record<string, string>;
  /** Tool name → absolute path, for the tools found on PATH. */
  tools: Record<string, string>;
  networkScriptsDir: boolean;
  ifupdown2: boolean;
  systemdPid1: boolean;
  /** NetworkManager's OVS device plugin is installed (EL's NetworkManager-ovs package). */
  nmOvsPlugin: boolean;
  /** Host clock, epoch seconds, when the facts were taken. */
  hostNow: number;
  /**
   * Seconds left before the pending run's rollback as its timer measures them (the time since boot): its deadline
   * less hostNow is off by any clock step since it was armed. Absent with no run pending (and from older facts).
   */
  deadlineLeft?: number;
  files: Map<string, HostFile>;
  live: LiveState;
  ovsPresent: boolean;
  runState?: HostRunState;
  /** A rolled-back run's restore as its journal tells it: whether it ended, what it could not undo, what it kept (keptOvs: why OVS was left running). */
  restore?: { done: boolean; incomplete: string[]; kept: string[]; keptOvs?: string };
  /**
   * state.json's run id and phase as the on-host scripts read them (`-` for none; null without a state.json):
   * what an apply payload says it saw. Taken apart from `runState`, which leaves out a file it cannot parse,
   * so a state.json only the scripts can read is still sent back as they read it, never refused as stale forever.
   */
  seen?: RunStateSeen | null;
}

/**
 * Open vSwitch is installed (ovs-vsctl on PATH) but its database did not answer facts' `ovs-vsctl list-br`
 * (ovsdb-server not running): the facts script prints its `ovs` section only when that read answers.
 */
export function ovsDatabaseDown(facts: Pick<HostFacts, 'tools' | 'ovsPresent'>): boolean {
  return facts.tools['ovs-vsctl'] !== undefined && !facts.ovsPresent;
}

/** A run id and phase as an apply payload's `seen` line carries them. */
export interface RunStateSeen {
  runId: string;
  phase: string;
}
