/** The part of GET /relabels/:id/hosts/:host/diff the cli prints. */
export interface HostDiffView {
  hostName: string;
  target: string;
  targetSource: string;
  basis: string;
  phases: PhaseView[];
  rollback: PhaseView[];
  unapplied?: { change: string; files: { path: string; change: string; unified: string }[]; live: string[] };
}

interface PhaseView {
  phase: string;
  from: string;
  to: string;
  files: { path: string; change: string; unified: string }[];
  commands: string[];
  agentProperties: { from: string; to: string }[];
  restartAgent: boolean;
  cloudstackBefore: { api: string; condition: string }[];
  cloudstackAfter: { api: string; params: Record<string, string>; condition: string }[];
}

/** One host's steps of a rollout, forward then the abort's way back: files as unified diffs, then the commands. */
export function describeHostDiff(view: HostDiffView): string {
  const lines = [`host ${view.hostName}: ${view.target} (${view.targetSource})`, `  ${view.basis}`];
  if (view.unapplied) {
    // what rides along with the expand comes first: it is what the operator has not reviewed
    lines.push('', `== unapplied: not part of the relabel, applied by its expand: ${view.unapplied.change}`);
    for (const f of view.unapplied.files) lines.push(`${f.change} ${f.path}`, ...f.unified.replace(/\n$/, '').split('\n'));
    for (const l of view.unapplied.live) lines.push(`live: ${l}`);
  }
  const phase = (p: PhaseView) => {
    const calls = (list: { api: string; condition: string; params?: Record<string, string> }[]) =>
      list.map((c) => `${c.api}${c.params?.['allocationstate'] ? ` ${c.params['allocationstate']}` : ''}${c.condition === 'if-running-vms' ? ' (if VMs run)' : ''}`).join(', ');
    lines.push('', `== ${p.phase} (${p.from} → ${p.to})`);
    if (p.cloudstackBefore.length > 0) lines.push(`CloudStack before: ${calls(p.cloudstackBefore)}`);
    if (p.files.length === 0) lines.push('files: unchanged');
    for (const f of p.files) lines.push(`${f.change} ${f.path}`, ...f.unified.replace(/\n$/, '').split('\n'));
    for (const c of p.commands) lines.push(`$ ${c}`);
    for (const a of p.agentProperties) lines.push(`agent.properties: *.network.device ${a.from} → ${a.to}`);
    if (p.restartAgent) lines.push('$ systemctl restart cloudstack-agent (after the run is verified)');
    if (p.cloudstackAfter.length > 0) lines.push(`CloudStack after: ${calls(p.cloudstackAfter)}`);
  };
  view.phases.forEach(phase);
  lines.push('', '-- if the rollout is aborted after this host reached the new layout:');
  view.rollback.forEach(phase);
  return `${lines.join('\n')}\n`;
}
