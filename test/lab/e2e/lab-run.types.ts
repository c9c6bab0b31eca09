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
  /** Then a relabel rollout through api (test/lab/relabel); without it the driver reports and exits. */
  relabel?: LabRelabelConfig;
}

/** A relabel rollout the driver runs through api once every host reached a final phase. */
export interface LabRelabelConfig {
  /** Body of POST /relabels. */
  request: Record<string, unknown>;
  /** Written by the driver once every host is final; it then waits for `goPath` (the spec sets up its VMs). */
  readyPath: string;
  goPath: string;
  /** Run with the host's name appended while the host is PrepareForMaintenance: the lab's VM migration. */
  migrateCommand?: string[];
  /** How long the relabel stage (the wait for `goPath` included) may take. */
  timeoutMs: number;
}

/** What the relabel stage saw: the rollout's end, and CloudStack (the simulator) from the plan on. */
export interface LabRelabelReport {
  /** POST /relabels answer: status, and the rollout id or the error body. */
  planStatus: number;
  id?: string;
  planError?: string;
  /** The rollout's last state (done | aborted | …) and why, when it did not end well. */
  state?: string;
  reason?: string;
  timedOut: boolean;
  /** Host steps per host name, oldest first: `<purpose> <layout> <result>`. */
  steps: Record<string, string[]>;
  /** Mutating CloudStack calls from the plan on, in arrival order; `at` in epoch ms. */
  calls: { command: string; host?: string; label?: string; allocationstate?: string; at: number }[];
  /** migrateCommand runs: host, when it ended (epoch ms), exit code. */
  migrations: { host: string; at: number; code: number }[];
  /** Every lab host in the simulator at the end. */
  hosts: Record<string, { state: string; resourceState: string }>;
  /** The zone's KVM label per traffic type at the end. */
  labels: Record<string, string>;
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
    /** What the live state lacked against the intent when the run read its facts (the drift a run repairs). */
    liveDiff: string[];
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
  /** Present when the config asked for a relabel stage. */
  relabel?: LabRelabelReport;
}

/** Phases after which api does nothing more for a host on its own. */
export const FINAL_PHASES = new Set(['enabled', 'rolled-back', 'failed', 'enable-failed']);
