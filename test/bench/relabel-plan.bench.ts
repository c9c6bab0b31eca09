import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { planRelabel, type RelabelPlan } from '@hostnet/relabel';
import { hostFactsFromIntents } from '../../apps/api/src/relabels/relabel-host-facts';
import type { RelabelRequest } from '../../apps/api/src/relabels/relabel-rollout.types';
import type { RolloutView } from '../../apps/api/src/relabels/relabels.service';
import { median } from './relabel-figures';
import type { RelabelZone } from './relabel-zone';

/** Plans made through the API (each stored as a planned rollout) and in-process planner runs timed. */
const PLANS = 3;
const PLANNER_RUNS = 5;

export interface RelabelPlanFigures {
  /** POST /relabels wall time of each plan, ms (the first one cold). */
  postMs: number[];
  postMedianMs: number;
  /** planRelabel alone, in this process, on the inputs the API planned from (median of PLANNER_RUNS), ms. */
  plannerMs: number;
  /** Its inputs, timed apart: a fresh topology read from CloudStack and the host facts from every intent, ms. */
  topologyMs: number;
  hostFactsMs: number;
  /** postMedianMs / plannerMs. */
  ratio: number;
  planHash: string;
  /** Every POST answered the same plan hash (the bench stops otherwise). */
  hashStable: true;
  /** The in-process planner gave the API's hash: the baseline planned exactly what the API did. */
  plannerHashMatches: boolean;
}

/** Plans the relabel PLANS times through the API and once more in-process; returns the figures and the last planned rollout. */
export async function benchRelabelPlan(zone: RelabelZone, request: RelabelRequest): Promise<{ figures: RelabelPlanFigures; planned: RolloutView }> {
  const postMs: number[] = [];
  let planned: RolloutView | undefined;
  for (let i = 0; i < PLANS; i++) {
    const t = performance.now();
    const view = await zone.request<RolloutView>('POST', '/relabels', 201, request);
    postMs.push(performance.now() - t);
    if (planned && view.planHash !== planned.planHash) {
      throw new Error(`the same relabel planned twice gave two plan hashes (${planned.planHash.slice(0, 12)}…, ${view.planHash.slice(0, 12)}…): start would refuse it`);
    }
    planned = view;
  }

  const topologies = zone.api.get(TopologyCache);
  const specs = zone.api.get(HostSpecService);
  let t = performance.now();
  const topology = await topologies.get(request.zone, { fresh: true });
  const topologyMs = performance.now() - t;
  t = performance.now();
  const hostFacts = hostFactsFromIntents(topology, specs);
  const hostFactsMs = performance.now() - t;
  const runs: number[] = [];
  let plan: RelabelPlan | undefined;
  for (let i = 0; i < PLANNER_RUNS; i++) {
    t = performance.now();
    plan = planRelabel({ topology, changes: request.changes, ...(request.strategy ? { strategy: request.strategy } : {}), hostFacts });
    runs.push(performance.now() - t);
  }
  const plannerMs = median(runs);
  const postMedianMs = median(postMs);
  return {
    planned: planned!,
    figures: {
      postMs,
      postMedianMs,
      plannerMs,
      topologyMs,
      hostFactsMs,
      ratio: postMedianMs / plannerMs,
      planHash: planned!.planHash,
      hashStable: true,
      plannerHashMatches: plan?.planHash === planned!.planHash,
    },
  };
}
