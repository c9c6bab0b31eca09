import type { LiveState } from '@hostnet/intent';
import type { HostSession } from '@hostnet/ssh';
import { networkFilesOnly, restoreActivation, type ApplyStep, type RenderedConfig } from '@hostnet/render';
import type { ApplyOutcome } from './apply-outcome';
import type { HostFacts } from './host-facts';

/** Opens a NEW connection to the host each time it is called (verification needs a fresh one). */
export type HostConnectionFactory = () => Promise<HostSession>;

/** Renders the host's configuration once the facts (OS, tools) are known. */
export type RenderFunction = (facts: HostFacts) => RenderedConfig;

/** What the host must look like once the run is applied. */
export interface HostExpectation {
  backend: 'linux' | 'ovs';
  /** From expectedLiveState(intent); also written to /var/lib/hostnet/expected-state.json. */
  live: LiveState;
  managementBridge: string;
  managementAddress: string;
  /** Pinged once from the host during verification. */
  gateway?: string;
  /** Bridges named by CloudStack traffic labels: the agent's pif rule must hold for each. */
  labelBridges: string[];
}

/** One run of the workflow for one host. */
export interface HostWorkflowPlan {
  /** Unique per run, [A-Za-z0-9-], used for the backup dir and the rollback unit. */
  runId: string;
  /** Hash of the desired spec, recorded in state.json on confirm. */
  specHash: string;
  render: RenderFunction;
  expected: HostExpectation;
  /** Stop after the diff; write nothing. */
  dryRun?: boolean;
  /** Apply even when the diff is empty. */
  force?: boolean;
  /**
   * Awaited once the run will apply, before anything on the host changes (nothing is applied if it throws): the
   * worker records on its job what the run will owe after it, so a retry still owes it (an agent restart).
   */
  beforeApply?: () => Promise<void>;
  /**
   * Awaited on the connection the run ended on when it ended `applied` (verified and confirmed) or `no-op`, before
   * that connection closes: work outside the transaction (the agent's restart) rides it instead of a new handshake.
   * Not called when the run ended on no open connection; it must not throw (an error is dropped).
   */
  afterRun?: (outcome: ApplyOutcome, session: HostSession) => Promise<void>;
}

/** Tunables of HostWorkflowService; every field has a default. */
export interface HostWorkflowOptions {
  /** Seconds the on-host timer waits before restoring the backup unless confirmed. */
  rollbackSeconds: number;
  /** How long to keep trying to reconnect after apply (and after the deadline). */
  reconnectTimeoutMs: number;
  reconnectIntervalMs: number;
  /** Extra wait after the host deadline for the restore to finish. */
  rollbackGraceMs: number;
  /** Do not start verify+confirm when less than this is left before the host deadline. */
  confirmMarginMs: number;
  factsTimeoutMs: number;
  applyTimeoutMs: number;
  verifyTimeoutMs: number;
  /**
   * How long a failed verification of live state is read again before the run is rolled back, and a
   * restore with its files back but live state not yet before it is reported incomplete. The daemons
   * behind the activation steps (NetworkManager, networkd) finish attaching ports after their command
   * returns: one read can land in a port's re-attach.
   */
  verifySettleMs: number;
  verifySettleIntervalMs: number;
  confirmTimeoutMs: number;
  /** Per-step timeout enforced on the host with `timeout` when present. */
  stepTimeoutSeconds: number;
  /** Extra files to hash in the facts round trip besides the renderers' usual locations. */
  extraFactPaths: string[];
  /** Steps re-run by the restore script after putting old files back; default: restoreActivation. */
  restoreSteps: (rendered: RenderedConfig, facts: HostFacts) => ApplyStep[];
  /** Progress callback (step names only, never file contents). */
  onProgress?: (stage: string) => void;
}

/**
 * Default restore activation: only the interfaces whose files the run changed, from the files facts read.
 * agent.properties is put back by the restore like every file but re-activates no interface. facts.live says
 * which OVS rows were there before the run (netplan-ovs: rows netplan apply must not delete).
 */
export function defaultRestoreSteps(rendered: RenderedConfig, facts: HostFacts): ApplyStep[] {
  return restoreActivation(networkFilesOnly(rendered), facts.files, facts.live);
}

export const DEFAULT_WORKFLOW_OPTIONS: HostWorkflowOptions = {
  rollbackSeconds: 90,
  reconnectTimeoutMs: 60_000,
  reconnectIntervalMs: 2_000,
  rollbackGraceMs: 30_000,
  confirmMarginMs: 5_000,
  factsTimeoutMs: 30_000,
  applyTimeoutMs: 300_000,
  verifyTimeoutMs: 30_000,
  verifySettleMs: 5_000,
  verifySettleIntervalMs: 500,
  confirmTimeoutMs: 30_000,
  stepTimeoutSeconds: 120,
  extraFactPaths: [],
  restoreSteps: defaultRestoreSteps,
};
