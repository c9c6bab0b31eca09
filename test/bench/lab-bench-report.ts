import type { AnsibleRound, LabBenchResult } from './lab-bench-result';

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const pad = (label: string) => `${label.padEnd(33)} `;

/** Ansible's time over hostnet's: how many times faster hostnet is. */
export function speedup(hostnetMs: number, ansibleMs: number): number {
  return ansibleMs / Math.max(hostnetMs, 1);
}

/** The round with the fastest first apply and the one with the fastest re-run (may differ). */
export function bestRounds(rounds: readonly AnsibleRound[]): { first: AnsibleRound; rerun: AnsibleRound } {
  if (rounds.length === 0) throw new Error('no Ansible round completed');
  const min = (key: 'firstMs' | 'rerunMs') => rounds.reduce((a, b) => (b[key] < a[key] ? b : a));
  return { first: min('firstMs'), rerun: min('rerunMs') };
}

/** The `--lab` block of the bench report: both tools, both runs, speed-ups against the goal. */
export function formatLabReport(l: LabBenchResult): string[] {
  const verdict = (x: number) => `${x.toFixed(1)}×  (goal ≥ ${l.goal}×: ${x >= l.goal ? 'pass' : 'FAIL'})`;
  const a = l.ansible;
  return [
    `== lab: hostnet (steady state) vs Ansible at its best on ${l.hosts} OVS lab hosts ==`,
    `${pad('hostnet api+worker start-up')}${s(l.hostnet.startupMs)}  (excluded below; lab CloudStack simulator + Redis before it ${s(l.hostnet.zoneStartMs)})`,
    `${pad('hostnet first apply')}${s(l.hostnet.firstMs)} to the last host verified, ${s(l.hostnet.firstEnabledMs)} to the last enabled  (${l.hostnet.firstOutcomes})`,
    `${pad('hostnet re-run (no-op)')}${s(l.hostnet.rerunMs)} to the last host verified, ${s(l.hostnet.rerunEnabledMs)} to the last enabled  (${l.hostnet.rerunOutcomes}; facts over the SSH connections the first apply left open, as Ansible's ControlPersist)`,
    `${pad('hostnet re-run, new connections')}${s(l.hostnet.rerunNewConnectionsMs)} to the last host verified  (the worker's kept connections closed first: every host connects anew)`,
    ...a.rounds.flatMap((r) => [
      `${pad(`ansible ${r.strategy} first apply`)}${s(r.firstMs)}  (forks ${a.forks})`,
      `${pad(`ansible ${r.strategy} re-run`)}${s(r.rerunMs)}  (recap ok=${r.rerunRecap.ok} changed=${r.rerunRecap.changed} skipped=${r.rerunRecap.skipped})`,
    ]),
    `${pad('ansible at its best')}first apply ${s(a.firstMs)} (${a.firstStrategy}), re-run ${s(a.rerunMs)} (${a.rerunStrategy})`,
    `${pad('speed-up first apply')}${verdict(l.speedup.first)}`,
    `${pad('speed-up re-run')}${verdict(l.speedup.rerun)}`,
    `${pad('speed-up re-run, new connections')}${l.speedup.rerunNewConnections.toFixed(1)}×  (not the goal's line: Ansible's re-run reuses its ControlPersist connections too)`,
    `${pad('mitogen')}${a.mitogenProblem ? `not used: ${a.mitogenProblem}` : 'works with Debian\'s ansible (mitogen_free timed)'}`,
    `${pad('versions')}${a.versions}`,
    ...l.notes.map((n) => `note: ${n}`),
  ];
}
