import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { planRelabel, type RelabelStrategyInput } from '@hostnet/relabel';
import { buildZone } from '../../../../../libs/relabel/test-support/zone-builder';
import { dropPrefix } from '../../../../../test/support/redis-dump';
import { RelabelHolds } from '../relabel-holds';
import type { RelabelRunnerOptions } from '../relabel-ports';
import { RelabelRolloutStore } from '../relabel-rollout.store';
import type { RelabelRollout } from '../relabel-rollout.types';
import { newRollout } from '../rollout-record.factory';
import { RolloutRunner } from '../rollout-runner';
import { applyAction, type RolloutAction } from '../rollout-transitions';
import { FakeCloudStack, FakeHostSteps } from './fake-rollout-ports';

export const SPEC_OPTIONS: RelabelRunnerOptions = { pollMs: 5, stepTimeoutMs: 5_000, hostWaitTimeoutMs: 10_000, concurrency: 4, lockTtlMs: 3_000, restoreRetryMs: 60_000 };
/** Two clusters of three: cluster1 kvm1-3, cluster2 kvm4-6; Public (agent-tagged) moves from cloudbr1 to cloudbr5. */
export const SPEC_ZONE = buildZone({ clusterSizes: [3, 3] });
export const PUBLIC_TO_CLOUDBR5 = [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }];

/**
 * One rollout spec's world on real Redis (REDIS_URL): a store under its own prefix, a fake CloudStack and fake
 * host steps made new by `reset()`, and runners over them. Call `close()` in afterAll.
 */
export class RolloutSpecHarness {
  readonly redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  readonly prefix = `hostnet-relabel-spec-${randomBytes(4).toString('hex')}`;
  readonly store = new RelabelRolloutStore(this.redis, this.prefix);
  readonly holds = new RelabelHolds(this.redis, this.prefix);
  readonly logs: string[] = [];
  cloudstack = new FakeCloudStack(SPEC_ZONE);
  steps = new FakeHostSteps();
  options: RelabelRunnerOptions = SPEC_OPTIONS;

  reset(): void {
    this.cloudstack = new FakeCloudStack(SPEC_ZONE);
    this.steps = new FakeHostSteps();
    this.options = SPEC_OPTIONS;
  }

  async close(): Promise<void> {
    await dropPrefix(this.redis, this.prefix);
    await this.redis.quit();
  }

  async planned(strategy: RelabelStrategyInput = { canary: 1, maxUnavailable: 1, abortAfter: 3 }): Promise<RelabelRollout> {
    const plan = planRelabel({ topology: SPEC_ZONE, changes: PUBLIC_TO_CLOUDBR5, strategy, publicVlans: [10] });
    const rollout = newRollout(plan, SPEC_ZONE, { zone: 'zone1', changes: PUBLIC_TO_CLOUDBR5, strategy });
    await this.store.create(rollout, plan);
    await this.holds.hold(rollout.id, Object.keys(rollout.hosts));
    return rollout;
  }

  act(id: string, action: RolloutAction): Promise<RelabelRollout> {
    return this.store.update(id, (r) => applyAction(r, action, 'spec'));
  }

  runner(id: string, store: RelabelRolloutStore = this.store): RolloutRunner {
    const { redis, prefix, cloudstack, steps, holds, options } = this;
    return new RolloutRunner(id, { redis, prefix, store, cloudstack, steps, holds, options, log: (m) => this.logs.push(m) });
  }

  lockKey(id: string): string {
    return `${this.prefix}:relabel:lock:${id}`;
  }

  /** CloudStack commands the fake saw, `command[:arg]`, of one command only. */
  sent(command: string): string[] {
    return this.cloudstack.calls.filter((c) => c.command === command).map((c) => (c.arg ? `${c.command}:${c.arg}` : c.command));
  }
}
