/** One tool's two timed runs on the same fresh lab hosts. */
export interface LabToolFigures {
  /** First apply: every host configured from its freshly installed state. */
  firstMs: number;
  /** Re-run on the same, unchanged hosts (a no-op). */
  rerunMs: number;
}

/** One Ansible strategy, first apply and re-run on its own fresh lab hosts. */
export interface AnsibleRound extends LabToolFigures {
  /** `mitogen_free` (Debian's ansible-mitogen) or plain `free`. */
  strategy: 'free' | 'mitogen_free';
  /** PLAY RECAP totals of the re-run (changed is asserted 0). */
  rerunRecap: { ok: number; changed: number; skipped: number };
}

/** Figures of `--lab`: hostnet (steady state) and a tuned Ansible doing the same work on the same fresh lab hosts. */
export interface LabBenchResult {
  hosts: number;
  /** hostnet's firstMs and rerunMs end at the last host's verified result (Ansible's runs end when the last host is configured). */
  hostnet: LabToolFigures & {
    /** The same runs to the last host enabled in CloudStack (reconnect, Enable: work Ansible does not do). */
    firstEnabledMs: number;
    rerunEnabledMs: number;
    /** api + worker start until api answers /health: excluded from firstMs and rerunMs. */
    startupMs: number;
    /** The lab's CloudStack simulator and Redis starting, before api and worker: excluded too. */
    zoneStartMs: number;
    /** Outcome → final phase counts, e.g. `20 applied→enabled`. */
    firstOutcomes: string;
    rerunOutcomes: string;
    /** The re-run again after the worker closed the connections it kept (HOSTNET_SSH_KEEP_SECONDS): every host connects anew. */
    rerunNewConnectionsMs: number;
  };
  /** The fastest strategy's time for each run (they may differ), and every strategy's own figures. */
  ansible: LabToolFigures & {
    firstStrategy: AnsibleRound['strategy'];
    rerunStrategy: AnsibleRound['strategy'];
    forks: number;
    rounds: AnsibleRound[];
    /** Why Mitogen was not used (absent when it was). */
    mitogenProblem?: string;
    /** Debian package versions (ansible-core, ansible-mitogen). */
    versions: string;
  };
  /** Ansible time / hostnet time: how many times faster hostnet is (goal ≥ 10 on both). */
  speedup: { first: number; rerun: number; rerunNewConnections: number };
  goal: number;
  notes: string[];
}
