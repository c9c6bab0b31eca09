import type { HostTruthJson } from '../../lab/lab-truth';

/** One step of a host's fault-free run: its name and argv, as the apply script ran it. */
export interface StepInfo {
  name: string;
  argv: string[];
}

/** What a fault-free run did to one host: the host before and after, and the steps it ran. */
export interface LabReference {
  before: HostTruthJson;
  after: HostTruthJson;
  steps: StepInfo[];
}

/**
 * One round of the lab matrix, run by lab-round.driver.ts inside the lab namespace (CONFIG.json as
 * argv[2]): either the fault-free reference run on every host, or one fault's trials, one per host.
 */
export interface LabRoundConfig {
  stateDir: string;
  mode: 'reference' | 'fault';
  fault?: string;
  trials?: { host: string; phase: string }[];
  reference?: Record<string, LabReference>;
  boundMs: number;
  rollbackSeconds: number;
}

/** One judged trial, flattened for the report (matrix-report's Judged, plus where it ran). */
export interface LabVerdictRow {
  fault: string;
  phase: string;
  host: string;
  persona: string;
  injected: boolean;
  half: boolean;
  duplicate: boolean;
  lost: boolean;
  wrong: boolean;
  finalPhase?: string;
  evidence: string[];
}

/** The driver's one output line (prefixed `LAB-ROUND `). */
export interface LabRoundReport {
  reference?: Record<string, LabReference>;
  verdicts?: LabVerdictRow[];
}
