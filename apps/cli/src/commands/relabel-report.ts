import type { RolloutProgress } from '@hostnet/contracts';
import { compareNaturalIgnoringCase } from '@hostnet/intent';

/** The part of api's rollout answer (GET /relabels/:id, POST /relabels and the actions) the cli reads. */
export interface RolloutView {
  id: string;
  state: string;
  phase: string;
  reason?: string;
  lastError?: string;
  /** Hosts the rollback gave up on (left as they are). */
  givenUp?: { hostId: string; by: string; why: string }[];
  planHash: string;
  failedHosts: string[];
  hosts: Record<string, { hostName: string; clusterId: string; layout: string; current?: { purpose: string; layout: string; stage?: string }; steps: { purpose: string; result?: string; reason?: string }[] }>;
  plan?: { hostCount: number; waves: { kind: string; steps: { hostName: string }[] }[]; calls: unknown[]; warnings: { code: string; message: string }[] };
  progress?: RolloutProgress;
  /** A planned rollout the zone has moved past: why, and the fix. */
  stale?: string;
}

/** One rollout as GET /relabels lists it (newest first, without its plan). */
export interface RolloutListItem {
  id: string;
  zoneName: string;
  state: string;
  phase: string;
  createdAt: string;
  request?: { requestedBy?: string };
  progress?: RolloutProgress;
  stale?: string;
}

/** `hostnet relabel list`: one line per rollout, so a lost id is found again. */
export function describeRolloutList(items: RolloutListItem[]): string {
  if (items.length === 0) return 'no rollouts\n';
  const lines = items.map((r) => {
    const p = r.progress;
    const progress = p ? `  contracted ${p.contracted}/${p.hosts}, failed ${p.failed}` : '';
    const by = r.request?.requestedBy ? ` by ${r.request.requestedBy}` : '';
    const line = `${r.id}  zone ${r.zoneName}  ${r.state} (phase ${r.phase})${progress}  planned ${r.createdAt}${by}`;
    return r.stale ? `${line}\n  stale: ${r.stale}` : line;
  });
  return `${lines.join('\n')}\n`;
}

/** A rollout that nothing more happens to. */
export const ENDED_STATES: ReadonlySet<string> = new Set(['done', 'aborted']);

export function describePlan(view: RolloutView): string {
  const plan = view.plan;
  const lines = [
    `rollout ${view.id} planned (plan hash ${view.planHash})`,
    `  hosts: ${plan?.hostCount ?? Object.keys(view.hosts).length}, waves: ${plan?.waves.length ?? 0}, CloudStack calls: ${plan?.calls.length ?? 0}`,
    // The canary and waves order the contract only: "1. canary: kvm1" alone read as if expand started with one host.
    ...(plan ? [`  expand: all ${plan.hostCount} hosts, several at once (no canary: it adds the new bridge beside the old, in no maintenance; abortAfter counts its failures too)`, '  then the label flip, then the contract (maintenance per strategy) in this order:'] : []),
    ...(plan?.waves ?? []).map((w, i) => `  ${i + 1}. ${w.kind}: ${w.steps.map((s) => s.hostName).join(', ')}`),
    ...(plan?.warnings ?? []).map((w) => `  warning ${w.code}: ${w.message}`),
    `start it with: hostnet relabel start --id ${view.id}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** State and progress, failed hosts first, then hosts in flight, then the rest: the plain text scripts read. */
export function describeRollout(view: RolloutView): string {
  const failed = new Set(view.failedHosts);
  const hosts = Object.entries(view.hosts).map(([hostId, h]) => ({ ...h, failed: failed.has(hostId) }));
  const rank = (h: (typeof hosts)[number]) => (h.failed ? 0 : h.current ? 1 : 2);
  const p = view.progress;
  const lines = [
    `rollout ${view.id}: ${view.state} (phase ${view.phase})${view.reason ? ` — ${view.reason}` : ''}`,
    ...(view.lastError ? [`  last error: ${view.lastError}`] : []),
    ...(view.givenUp?.length ? [`  given up (left as they are): ${view.givenUp.map((g) => `${view.hosts[g.hostId]?.hostName ?? g.hostId} (by ${g.by}: ${g.why})`).join(', ')}`] : []),
    ...(view.stale ? [`  stale: ${view.stale}`] : []),
    ...(p ? [`  ${progressBar(p.contracted, p.hosts, 20, '.')} expanded ${p.expanded}/${p.hosts}, contracted ${p.contracted}/${p.hosts}, failed ${p.failed}`] : []),
    // the plan's warnings stay true after the start: hosts left behind still lack the new bridge when it is done
    ...(view.plan?.warnings ?? []).map((w) => `  warning ${w.code}: ${w.message}`),
    ...hosts
      .sort((a, b) => rank(a) - rank(b) || compareNaturalIgnoringCase(a.hostName, b.hostName))
      .map((h) => {
        const last = h.steps[h.steps.length - 1];
        const now = h.current ? ` now ${h.current.purpose} → ${h.current.layout}${h.current.stage ? ` (${h.current.stage})` : ''}` : '';
        const lastText = last ? ` last ${last.purpose} ${last.result ?? ''}${last.result === 'failed' && last.reason ? `: ${last.reason}` : ''}` : '';
        return `  ${h.failed ? '!' : ' '} ${h.hostName} layout ${h.layout}${now}${lastText}`;
      }),
  ];
  return `${lines.join('\n')}\n`;
}

/** `[####......]`: `done` of `total` over `width` cells. */
export function progressBar(done: number, total: number, width: number, empty = '-'): string {
  const filled = total === 0 ? 0 : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${empty.repeat(width - filled)}]`;
}
