/** What the bench asks the steady-state lab driver to do (written as JSON, path passed as argv[2]). */
export interface LabSteadyConfig {
  /** The lab's state dir (inventory.json, topology.json, client key, known_hosts). */
  stateDir: string;
  profilesYaml: string;
  /** How long api + worker may take to start, and each timed run to end. */
  timeoutMs: number;
  /** Timed runs, in order, each triggered once the previous one ended (default: first apply, re-run). */
  runs: string[];
  /** Runs before which the worker closes the SSH connections it kept from the runs before (and keeps none after). */
  newConnections?: string[];
}

/** One host after one timed run, as api recorded it. */
export interface LabSteadyHost {
  name: string;
  /** Final phase (enabled | rolled-back | failed | enable-failed), or the last seen one on timeout. */
  phase: string;
  /** The worker's outcome status of this run (applied | no-op | …). */
  status?: string;
  reason?: string;
  target?: string;
  /** Files this run changed. */
  changedFiles: string[];
  /** Steps this run executed on the host. */
  steps: number;
  /** The worker's stage timings of this run, ms. */
  durationsMs?: Record<string, number>;
  /** Each step's time on the host, ms, by step name (where the apply stage goes). */
  stepMs?: Record<string, number>;
}

/** One timed run: operator trigger (POST /zones/:id/configure) → every host in a final phase. */
export interface LabSteadyRun {
  label: string;
  /** Trigger → every host in a final phase (enabled in CloudStack included). */
  durationMs: number;
  /** Trigger → api recorded the last host's verified (or no-op) result: the measure, Ansible's equivalent. */
  verifiedMs: number;
  /** How long the trigger request itself took (included in durationMs). */
  triggerMs: number;
  timedOut: boolean;
  hosts: LabSteadyHost[];
  /** updateHost calls CloudStack received during this run. */
  updateHostCalls: number;
}

/** The driver's single line of output (prefixed `LAB-STEADY `). */
export interface LabSteadyReport {
  /** The lab's CloudStack simulator and private Redis starting (test harness, not hostnet): excluded. */
  zoneStartMs: number;
  /** From creating the worker until api answered /health: excluded from the timed runs. */
  startupMs: number;
  runs: LabSteadyRun[];
}
