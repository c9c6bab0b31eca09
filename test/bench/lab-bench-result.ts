/** Figures of `--lab`: hostnet and Ansible doing the same work on the same fresh lab hosts. */
export interface LabBenchResult {
  hosts: number;
  hostnetMs: number;
  hostnetOutcomes: string;
  ansibleMs: number;
  ansibleForks: number;
  /** hostnetMs / ansibleMs, both measured in this run. */
  ratio: number;
  hostnetNoopMs?: number;
  ansibleNoopMs?: number;
  notes: string[];
}
