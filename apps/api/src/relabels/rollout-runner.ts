import type Redis from 'ioredis';
import { RecordingCloudStack } from './relabel-cloudstack.recorder';
import type { RelabelCloudStackPort, RelabelHostStepPort, RelabelRunnerOptions } from './relabel-ports';
import type { RelabelRolloutStore } from './relabel-rollout.store';
import { ROLLBACK_PHASES, type RelabelRollout, type RolloutPhase } from './relabel-rollout.types';
import { allOrStop, HALTED, type RolloutContext } from './rollout-context';
import { ForwardPhases } from './rollout-forward.phases';
import { HostAllocation } from './rollout-host-allocation';
import { HostStepDriver } from './rollout-host-step.driver';
import { RollbackPhases } from './rollout-rollback.phases';
import { RolloutLock, RolloutLockLostError } from './rollout-lock';

export interface RolloutRunnerDeps {
  redis: Redis;
  prefix: string;
  store: RelabelRolloutStore;
  cloudstack: RelabelCloudStackPort;
  steps: RelabelHostStepPort;
  holds: { release(rolloutId: string, hostIds: string[]): Promise<void> };
  options: RelabelRunnerOptions;
  log(message: string): void;
}

/** Why run() returned: the rollout ended, it waits for an operator, another runner has it, it was stopped, or an error stopped it. */
export type RunnerExit = 'ended' | 'waiting' | 'busy' | 'stopped' | 'error';

/**
 * Drives one rollout from its record in Redis until it ends or waits for an operator (paused). Holds the
 * rollout's lock while it runs, so one runner at a time acts on it across replicas; everything it decides
 * is read from and written to the record, so a new runner on the same Redis (an api restart) continues
 * exactly where this one stopped. Operators change the record (pause, resume, abort); the runner reads it
 * before every host it starts.
 */
export class RolloutRunner {
  private stopped = false;
  /** Set when a host step threw: its siblings stop before this runner gives up the lock (allOrStop). */
  private failed = false;

  constructor(
    private readonly id: string,
    private readonly deps: RolloutRunnerDeps,
  ) {}

  /** Stops starting and waiting (shutdown, tests' simulated crash); the record keeps what is in flight. */
  stop(): void {
    this.stopped = true;
  }

  async run(): Promise<RunnerExit> {
    const { store, options, redis, prefix } = this.deps;
    const lock = new RolloutLock(redis, `${prefix}:relabel:lock:${this.id}`, options.lockTtlMs);
    if (!(await lock.acquire())) return 'busy';
    try {
      const ctx: RolloutContext = {
        id: this.id,
        plan: await store.plan(this.id),
        store,
        cloudstack: new RecordingCloudStack(this.deps.cloudstack, store, this.id, () => lock.assertHeld()),
        steps: guardedSteps(this.deps.steps, () => lock.assertHeld()),
        options,
        halted: () => this.stopped || this.failed || lock.lost,
        stop: () => void (this.failed = true),
        log: (m) => this.deps.log(`rollout ${this.id}: ${m}`),
      };
      const driver = new HostStepDriver(ctx);
      const allocation = new HostAllocation(ctx);
      const forward = new ForwardPhases(ctx, driver, allocation);
      const rollback = new RollbackPhases(ctx, driver, allocation);
      for (;;) {
        if (ctx.halted()) return 'stopped';
        const rollout = await store.get(this.id);
        switch (rollout.state) {
          case 'running':
            if ((await forward.run(rollout.phase, rollout)) === HALTED) return 'stopped';
            break;
          case 'aborting':
            if (!isRollbackPhase(rollout.phase)) {
              if ((await this.settle(ctx, driver, rollout)) === HALTED) return 'stopped';
              await store.update(this.id, (r) => {
                if (r.state !== 'aborting' || isRollbackPhase(r.phase)) return false;
                r.phase = 'rollback-contract';
              });
              break;
            }
            if ((await rollback.run(rollout.phase, rollout)) === HALTED) return 'stopped';
            break;
          case 'paused':
            // In-flight steps finish (a restart may have left some): then the rollout waits for an operator.
            return (await this.settle(ctx, driver, rollout)) === HALTED ? 'stopped' : 'waiting';
          case 'done':
          case 'aborted':
            await this.deps.holds.release(this.id, Object.keys(rollout.hosts));
            return 'ended';
          case 'planned':
            return 'waiting';
        }
      }
    } catch (error) {
      const message = (error as Error).message;
      // Another runner has the rollout now: this one writes nothing more to it.
      if (error instanceof RolloutLockLostError || lock.lost) {
        this.deps.log(`rollout ${this.id}: runner stopped: ${message}`);
        return 'stopped';
      }
      this.deps.log(`rollout ${this.id}: runner stopped by an error, the next runner retries: ${message}`);
      await store.update(this.id, (r) => void (r.lastError = message)).catch(() => undefined);
      return 'error';
    } finally {
      await lock.release();
    }
  }

  /** Finishes every host step in flight (the same step, from the stage it reached). */
  private async settle(ctx: RolloutContext, driver: HostStepDriver, rollout: RelabelRollout): Promise<void | typeof HALTED> {
    const planned = new Map(ctx.plan.waves.flatMap((w) => w.steps).map((s) => [s.hostId, s]));
    const inFlight = Object.values(rollout.hosts).filter((h) => h.current);
    const results = await allOrStop(
      ctx,
      inFlight.map((h) => {
        const step = h.current!;
        const request = { purpose: step.purpose, layout: step.layout, restartAgent: step.restartAgent };
        return step.stage !== undefined ? driver.maintained(h.hostId, request, planned.get(h.hostId)) : driver.plain(h.hostId, request);
      }),
    );
    if (results.includes(HALTED)) return HALTED;
  }
}

function isRollbackPhase(phase: RolloutPhase): boolean {
  return (ROLLBACK_PHASES as readonly string[]).includes(phase) || phase === 'finished';
}

/** The host-step port with `start` asked of the lock first: enqueuing a host's run acts on the host, like a CloudStack mutation. */
function guardedSteps(steps: RelabelHostStepPort, stillHeld: () => Promise<void>): RelabelHostStepPort {
  return {
    start: async (...args) => (await stillHeld(), steps.start(...args)),
    outcome: (...args) => steps.outcome(...args),
    inFlight: (...args) => steps.inFlight(...args),
    settled: (...args) => steps.settled(...args),
  };
}
