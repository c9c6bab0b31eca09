/** What the jest side asks the lab driver to do (written as JSON, path passed as argv[2]). */
export interface LabRunConfig {
  /** The lab's state dir (inventory.json, topology.json, client key, known_hosts). */
  stateDir: string;
  /** Host profiles YAML for this run. */
  profilesYaml: string;
  /** Hosts whose outcome ends the run (default: every lab host). */
  hosts?: string[];
  rollbackSeconds?: number;
  /** How long to wait for every host to reach a final phase. */
  timeoutMs: number;
}

/** One host's end state as api recorded it, plus the worker's outcome of its last run. */
export interface LabHostReport {
  name: string;
  hostId: string;
  /** Final phase: enabled | rolled-back | failed | enable-failed (or the last seen one on timeout). */
  phase: string;
  /** Every phase api recorded for the host, oldest first. */
  phases: string[];
  outcome?: {
    status: string;
    reason?: string;
    target?: string;
    /** Files the run changed (change other than `same`). */
    changedFiles: string[];
    steps: { name: string; exitCode: number }[];
    rollback?: { armedSeconds: number; triggered: boolean; restoredAt?: string };
    verification?: { ok: boolean; failed: string[] };
    durationsMs?: Record<string, number>;
  };
}

/** The driver's single line of output (prefixed `LAB-REPORT `). */
export interface LabRunReport {
  durationMs: number;
  timedOut: boolean;
  hosts: LabHostReport[];
  cloudstack: {
    /** updateHost calls the pipeline made: host id + allocationstate. */
    updateHost: { id: string; allocationstate?: string }[];
    /** resourceState of every lab host in the simulator at the end. */
    resourceState: Record<string, string>;
  };
}

/** Phases after which api does nothing more for a host on its own. */
export const FINAL_PHASES = new Set(['enabled', 'rolled-back', 'failed', 'enable-failed']);
