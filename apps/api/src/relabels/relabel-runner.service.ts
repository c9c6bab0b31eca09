import { asBackgroundWork } from '@hostnet/platform';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type Redis from 'ioredis';
import { CloudStackClient } from '@hostnet/cloudstack';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';
import { RelabelHolds } from './relabel-holds';
import { RelabelHostStepsService } from './relabel-host-steps.service';
import type { RelabelRunnerOptions } from './relabel-ports';
import { RelabelRolloutStore } from './relabel-rollout.store';
import { DRIVEN_STATES, type RelabelRollout } from './relabel-rollout.types';
import { RelabelZoneLock } from './relabel-zone-lock';
import { RolloutRunner } from './rollout-runner';

export const RELABEL_RUNNER_OPTIONS = Symbol('RELABEL_RUNNER_OPTIONS');
export const RELABEL_STORE = Symbol('RELABEL_STORE');
export const RELABEL_ZONE_LOCK = Symbol('RELABEL_ZONE_LOCK');

/** How often running rollouts without a live runner are picked up (after a crash of their runner's api). */
const SUPERVISE_EVERY_MS = 5_000;

/**
 * Starts a runner for every rollout that should be driven: on a start/resume/abort request, on boot (a
 * rollout left running by a stopped api resumes), and on a timer for rollouts whose runner died elsewhere.
 * The rollout's Redis lock keeps it to one runner across replicas.
 */
@Injectable()
export class RelabelRunnerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RelabelRunnerService.name);
  private readonly active = new Map<string, { runner: RolloutRunner; done: Promise<unknown> }>();
  private timer?: NodeJS.Timeout;
  /** The supervisor pass in flight, awaited on shutdown so it never meets a closed Redis connection. */
  private supervising?: Promise<void>;
  private stopping = false;

  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
    @Inject(RELABEL_STORE) private readonly store: RelabelRolloutStore,
    @Inject(RELABEL_RUNNER_OPTIONS) private readonly options: RelabelRunnerOptions,
    private readonly cloudstack: CloudStackClient,
    private readonly steps: RelabelHostStepsService,
    private readonly holds: RelabelHolds,
    @Inject(RELABEL_ZONE_LOCK) private readonly zoneLock: RelabelZoneLock,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.supervising = this.superviseOnce()
        .catch((e: Error) => this.logger.warn(`relabel supervisor: ${e.message}`))
        .finally(() => {
          if (!this.stopping) this.timer = setTimeout(tick, SUPERVISE_EVERY_MS);
        });
    };
    asBackgroundWork(tick);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    for (const { runner } of this.active.values()) runner.stop();
    await Promise.allSettled([this.supervising, ...[...this.active.values()].map((a) => a.done)]);
  }

  /**
   * Drives every rollout in a driven state that has no runner in this process, and a paused one whose
   * steps are still in flight (an api restarted after the pause: its runner finishes them, then waits for an
   * operator; before, a verified host stayed in maintenance until one came), and frees hosts and zones
   * still held by rollouts that ended (their ending write releases them; this covers records from before).
   */
  async superviseOnce(): Promise<void> {
    const rollouts = await this.store.list(1000);
    for (const rollout of rollouts) if (DRIVEN_STATES.has(rollout.state) || settling(rollout)) this.kick(rollout.id);
    const ended = (id: string) => this.store.ended(id);
    await this.holds.releaseEnded(ended);
    for (const zoneId of new Set(rollouts.map((r) => r.zoneId))) await this.zoneLock.releaseEnded(zoneId, ended);
  }

  /** Runs the rollout here unless a runner already does (here, or elsewhere: it holds the lock). */
  kick(id: string): void {
    if (this.stopping || this.active.has(id)) return;
    asBackgroundWork(() => this.start(id));
  }

  private start(id: string): void {
    const runner = new RolloutRunner(id, {
      redis: this.redis,
      prefix: this.prefix,
      store: this.store,
      cloudstack: this.cloudstack,
      steps: this.steps,
      holds: this.holds,
      options: this.options,
      log: (m) => this.logger.log(m),
    });
    const done = runner
      .run()
      .then(async (exit) => {
        this.active.delete(id);
        // An operator may have resumed while this runner was finishing up: drive it again.
        if (exit === 'waiting' && DRIVEN_STATES.has((await this.store.get(id)).state)) this.kick(id);
      })
      .catch((e: Error) => {
        this.active.delete(id);
        this.logger.warn(`rollout ${id}: ${e.message}`);
      });
    this.active.set(id, { runner, done });
  }
}

/** A paused rollout with a host step still in flight: its runner ends the steps and exits waiting. */
function settling(rollout: RelabelRollout): boolean {
  return rollout.state === 'paused' && Object.values(rollout.hosts).some((h) => h.current !== undefined);
}
