import type { LabBenchResult } from './lab-bench-result';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pad = (label: string) => label.padEnd(30);

/** Ansible's time over hostnet's: how many times faster hostnet is. */
export function speedup(hostnetMs: number, ansibleMs: number): number {
  return ansibleMs / Math.max(hostnetMs, 1);
}

/** The `--lab` block of the bench report: both tools, both runs, speed-ups against the goal. */
export function formatLabReport(l: LabBenchResult): string[] {
  const verdict = (x: number) => `${x.toFixed(1)}×  (goal ≥ ${l.goal}×: ${x >= l.goal ? 'pass' : 'FAIL'})`;
  const a = l.ansible;
  return [
    `== lab: hostnet (steady state) vs Ansible at its best on ${l.hosts} OVS lab hosts ==`,
    `${pad('hostnet api+worker start-up')}${s(l.hostnet.startupMs)}  (excluded below; lab CloudStack simulator + Redis before it ${s(l.hostnet.zoneStartMs)})`,
    `${pad('hostnet first apply')}${s(l.hostnet.firstMs)}  (${l.hostnet.firstOutcomes})`,
    `${pad('hostnet re-run (no-op)')}${s(l.hostnet.rerunMs)}  (${l.hostnet.rerunOutcomes})`,
    `${pad('ansible-playbook first apply')}${s(a.firstMs)}  (forks ${a.forks}, strategy ${a.strategy})`,
    `${pad('ansible-playbook re-run')}${s(a.rerunMs)}  (recap ok=${a.rerunRecap.ok} changed=${a.rerunRecap.changed} skipped=${a.rerunRecap.skipped})`,
    `${pad('speed-up first apply')}${verdict(l.speedup.first)}`,
    `${pad('speed-up re-run')}${verdict(l.speedup.rerun)}`,
    `${pad('mitogen')}${a.mitogenProblem ? `not used: ${a.mitogenProblem}` : 'used (mitogen_free)'}`,
    `${pad('versions')}${a.versions}`,
    ...l.notes.map((n) => `note: ${n}`),
  ];
}
