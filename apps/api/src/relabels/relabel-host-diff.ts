import type { RelabelChange, RelabelHostStep } from '@hostnet/contracts';
import { agentDeviceRenames, expectedLiveState, relabelIntent, type HostNetworkIntent } from '@hostnet/intent';
import type { CloudStackCall, HostStep, RelabelPlan } from '@hostnet/relabel';
import { AGENT_PROPERTIES_PATH, renderHost, unifiedDiff, type RenderedConfig, type RenderTargetId } from '@hostnet/render';
import { shellJoin } from '@hostnet/ssh';

type Layout = RelabelHostStep['layout'];

/** The host steps a rollout can run on one host, forward and back (docs/relabel.md, "Host steps"). */
export type DiffPhaseName = 'expand' | 'switch' | 'contract' | 'restore-both' | 'switch-back' | 'restore-old';

export interface PhaseFileDiff {
  path: string;
  change: 'create' | 'update' | 'delete';
  unified: string;
}

/** What one host step changes on the host, from the layout before it to the layout it applies. */
export interface PhaseDiff {
  phase: DiffPhaseName;
  from: Layout;
  to: Layout;
  /** Network files the step writes or removes (agent.properties is listed under `agentProperties`). */
  files: PhaseFileDiff[];
  /** The apply steps in order, as the host would run them from files of the `from` layout. */
  commands: string[];
  /** `*.network.device` entries of agent.properties that name a moved bridge are pointed from → to. */
  agentProperties: Array<{ from: string; to: string }>;
  restartAgent: boolean;
  /** CloudStack calls around the host work (maintenance), in order. */
  cloudstackBefore: CloudStackCall[];
  cloudstackAfter: CloudStackCall[];
}

export interface RelabelHostDiff {
  rolloutId: string;
  hostId: string;
  hostName: string;
  target: RenderTargetId;
  /** `detected`: the host's latest hostnet run; `requested`: the caller's `target`. */
  targetSource: 'detected' | 'requested';
  /** What these diffs can and cannot know. */
  basis: string;
  /** The forward steps in the order the rollout runs them. */
  phases: PhaseDiff[];
  /** The steps an abort runs on this host, in order, after it reached the new layout. */
  rollback: PhaseDiff[];
  /**
   * Set when the host holds less than its intent now (a profile reloaded, a CloudStack change no run applied):
   * the expand applies that too. `files`/`live`: the diff of the dry-run that found it, when one did.
   */
  unapplied?: { change: string; files: PhaseFileDiff[]; live: string[] };
}

export interface RelabelHostDiffInput {
  rolloutId: string;
  changes: RelabelChange[];
  plan: RelabelPlan;
  hostId: string;
  /** The host's intent as CloudStack and the profiles give it (no overlay). */
  intent: HostNetworkIntent;
  target: RenderTargetId;
  targetSource: RelabelHostDiff['targetSource'];
  ovsDatapathType?: 'system' | 'netdev';
}

export const DIFF_BASIS =
  'rendered from the zone as it is now, assuming the host holds what hostnet renders for the layout before each step; ' +
  "commands are the steps from those files without the host's live state (a run computes its exact transition from live facts and shows it in its own diff)";

/** The basis of a host holding changes beyond the relabel: the phases alone would hide them (docs/relabel.md, "Drifted hosts"). */
export const UNAPPLIED_BASIS =
  "rendered from the zone and profiles as they are now; this host does NOT hold all of that yet (see unapplied): its expand applies that change too, with the relabel's own, which the phases below do not show; " +
  "commands are the steps from hostnet's files without the host's live state";

/**
 * Per-host, per-phase diffs of a planned rollout: each layout rendered for the host's target, each step's
 * files compared with the layout before it and its commands rendered against those files. Pure.
 */
export function relabelHostDiff(input: RelabelHostDiffInput): RelabelHostDiff {
  const { plan, hostId } = input;
  const expand = plan.expand.find((s) => s.hostId === hostId);
  if (!expand) throw new Error(`host ${hostId} is not in rollout ${input.rolloutId}`);
  const switchStep = plan.switch.find((s) => s.hostId === hostId);
  const contract = plan.waves.flatMap((w) => w.steps).find((s) => s.hostId === hostId);
  const intentOf = (layout: Layout) => relabelIntent(input.intent, { layout, changes: input.changes });
  const datapath = input.ovsDatapathType ? { ovsDatapathType: input.ovsDatapathType } : {};
  const bases = new Map<Layout, RenderedConfig>();
  const base = (layout: Layout): RenderedConfig => {
    if (!bases.has(layout)) bases.set(layout, renderHost(intentOf(layout), input.target, datapath));
    return bases.get(layout)!;
  };
  // The step as a run renders it on a host that holds the `from` layout: its files, and the live state and
  // expected state hostnet left with them.
  const render = (from: Layout, to: Layout): RenderedConfig => {
    const held = expectedLiveState(intentOf(from));
    const previousFiles = new Map(base(from).files.map((f) => [f.path, { content: f.content }]));
    return renderHost(intentOf(to), input.target, { ...datapath, live: held, previous: held, previousFiles });
  };
  const phase = (name: DiffPhaseName, from: Layout, to: Layout, step: HostStep | undefined, restartAgent: boolean): PhaseDiff => {
    const before = base(from);
    const after = render(from, to);
    const renames = agentDeviceRenames({ layout: to, changes: input.changes });
    return {
      phase: name,
      from,
      to,
      files: fileDiffs(before, after),
      commands: after.steps.map((s) => shellJoin(s.argv)),
      agentProperties: [...renames].map(([f, t]) => ({ from: f, to: t })),
      restartAgent,
      cloudstackBefore: step?.before ?? [],
      cloudstackAfter: step?.after ?? [],
    };
  };
  const phases = [
    phase('expand', 'old', 'both', expand, expand.restartAgent),
    ...(switchStep ? [phase('switch', 'both', 'both', switchStep, true)] : []),
    ...(contract ? [phase('contract', 'both', 'new', contract, true)] : []),
  ];
  const rollback = [
    ...(contract ? [phase('restore-both', 'new', 'both', contract, true)] : []),
    ...(switchStep ? [phase('switch-back', 'both', 'both', undefined, true)] : []),
    phase('restore-old', 'both', 'old', undefined, expand.restartAgent),
  ];
  return { rolloutId: input.rolloutId, hostId, hostName: expand.hostName, target: input.target, targetSource: input.targetSource, basis: DIFF_BASIS, phases, rollback };
}

/** Files of `after` against `before`: created, updated, and deleted (what `after` removes, as a run does). */
function fileDiffs(before: RenderedConfig, after: RenderedConfig): PhaseFileDiff[] {
  const old = new Map(before.files.filter((f) => f.path !== AGENT_PROPERTIES_PATH).map((f) => [f.path, f.content]));
  const out: PhaseFileDiff[] = [];
  for (const file of after.files) {
    if (file.path === AGENT_PROPERTIES_PATH) continue;
    const was = old.get(file.path);
    if (was === file.content) continue;
    out.push({ path: file.path, change: was === undefined ? 'create' : 'update', unified: unifiedDiff(file.path, was ?? '', file.content) });
  }
  for (const path of after.removes) {
    const was = old.get(path);
    if (was !== undefined) out.push({ path, change: 'delete', unified: unifiedDiff(path, was, '') });
  }
  return out;
}
