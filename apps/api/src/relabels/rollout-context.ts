import type { RelabelPlan } from '@hostnet/relabel';
import type { RecordingCloudStack } from './relabel-cloudstack.recorder';
import type { RelabelHostStepPort, RelabelRunnerOptions } from './relabel-ports';
import type { RelabelRolloutStore } from './relabel-rollout.store';
import type { RelabelRollout } from './relabel-rollout.types';
import { RolloutLockLostError } from './rollout-lock';

/** What the parts of one rollout's runner share. */
export interface RolloutContext {
  id: string;
  plan: RelabelPlan;
  store: RelabelRolloutStore;
  cloudstack: RecordingCloudStack;
  steps: RelabelHostStepPort;
  options: RelabelRunnerOptions;
  /** True once the runner must stop starting and waiting (shutdown, lost lock, an error): state stays for the next runner. */
  halted(): boolean;
  /** Halts the runner: one of its host steps failed with an error, so the others stop where they stand. */
  stop(): void;
  log(message: string): void;
}

/** Signals that the runner stopped waiting; the rollout's record holds where it was. */
export const HALTED = 'halted' as const;
export type Halted = typeof HALTED;

/**
 * Promise.all for a runner's concurrent host steps, which must not outlive it: the first that throws halts
 * the runner, and the error is thrown only once every other has stopped. With Promise.all the others went
 * on after the runner had given up its lock, beside the next runner driving the same steps (two enables or
 * cancels for one run, more hosts out than maxUnavailable).
 */
export async function allOrStop<T>(ctx: RolloutContext, tasks: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(
    tasks.map((task) =>
      task.catch((error: unknown) => {
        ctx.stop();
        throw error;
      }),
    ),
  );
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as unknown);
  // a lost lock first: the runner must stop without writing, whatever else went wrong beside it
  if (failures.length > 0) throw failures.find((e) => e instanceof RolloutLockLostError) ?? failures[0];
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

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
