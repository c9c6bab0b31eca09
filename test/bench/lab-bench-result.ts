/** One tool's two timed runs on the same fresh lab hosts. */
export interface LabToolFigures {
  /** First apply: every host configured from its freshly installed state. */
  firstMs: number;
  /** Re-run on the same, unchanged hosts (a no-op). */
  rerunMs: number;
}

/** Figures of `--lab`: hostnet (steady state) and a tuned Ansible doing the same work on the same fresh lab hosts. */
export interface LabBenchResult {
  hosts: number;
  hostnet: LabToolFigures & {
    /** api + worker start until api answers /health: excluded from firstMs and rerunMs. */
    startupMs: number;
    /** The lab's CloudStack simulator and Redis starting, before api and worker: excluded too. */
    zoneStartMs: number;
    /** Outcome → final phase counts, e.g. `20 applied→enabled`. */
    firstOutcomes: string;
    rerunOutcomes: string;
  };
  ansible: LabToolFigures & {
    forks: number;
    /** The strategy the timed runs used: `mitogen_free` when Debian's ansible-mitogen worked, else `free`. */
    strategy: 'free' | 'mitogen_free';
    /** Why Mitogen was not used (absent when it was). */
    mitogenProblem?: string;
    /** Debian package versions (ansible-core, ansible-mitogen). */
    versions: string;
    /** PLAY RECAP totals of the re-run (changed must be 0). */
    rerunRecap: { ok: number; changed: number; skipped: number };
  };
  /** Ansible time / hostnet time: how many times faster hostnet is (goal ≥ 10 on both). */
  speedup: { first: number; rerun: number };
  goal: number;
  notes: string[];
}
