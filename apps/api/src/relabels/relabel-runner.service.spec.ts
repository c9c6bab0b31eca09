import type Redis from 'ioredis';
import { DEFAULT_RUNNER_OPTIONS } from './relabel-ports';
import type { RelabelHolds } from './relabel-holds';
import type { RelabelRolloutStore } from './relabel-rollout.store';
import { RelabelRunnerService } from './relabel-runner.service';
import type { RelabelZoneLock } from './relabel-zone-lock';

describe('RelabelRunnerService shutdown', () => {
  it('waits for the supervisor pass in flight before it lets the app close the Redis connection', async () => {
    let answer!: (rollouts: []) => void;
    const store = { list: () => new Promise<[]>((resolve) => (answer = resolve)), ended: async () => true } as unknown as RelabelRolloutStore;
    const holds = { releaseEnded: async () => undefined } as unknown as RelabelHolds;
    const service = new RelabelRunnerService({} as Redis, 'p', store, DEFAULT_RUNNER_OPTIONS, {} as never, {} as never, holds, {} as RelabelZoneLock);
    const warn = jest.spyOn((service as unknown as { logger: { warn: (m: string) => void } }).logger, 'warn').mockImplementation(() => undefined);

    service.onApplicationBootstrap();
    let destroyed = false;
    const destroy = service.onModuleDestroy().then(() => (destroyed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(destroyed).toBe(false);

    answer([]);
    await destroy;
    expect(destroyed).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });
});
