import type { RelabelPlan } from '@hostnet/relabel';
import type { RecordingCloudStack } from './relabel-cloudstack.recorder';
import type { RelabelHostStepPort, RelabelRunnerOptions } from './relabel-ports';
import type { RelabelRolloutStore } from './relabel-rollout.store';
import type { RelabelRollout } from './relabel-rollout.types';

/** What the parts of one rollout's runner share. */
export interface RolloutContext {
  id: string;
  plan: RelabelPlan;
  store: RelabelRolloutStore;
  cloudstack: RecordingCloudStack;
  steps: RelabelHostStepPort;
  options: RelabelRunnerOptions;
  /** True once the runner must stop starting and waiting (shutdown, lost lock): state stays for the next runner. */
  halted(): boolean;
  log(message: string): void;
}

/** Signals that the runner stopped waiting; the rollout's record holds where it was. */
export const HALTED = 'halted' as const;
export type Halted = typeof HALTED;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** The latest record (one read). */
export function latest(ctx: RolloutContext): Promise<RelabelRollout> {
  return ctx.store.get(ctx.id);
}

export function hostNames(rollout: RelabelRollout, hostIds: string[]): string {
  return hostIds.map((id) => rollout.hosts[id]?.hostName ?? id).join(', ');
}
