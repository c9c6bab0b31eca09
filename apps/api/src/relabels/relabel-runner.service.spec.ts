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

describe('RelabelRunnerService supervisor', () => {
  it('drives running and aborting rollouts, and a paused one only while a step of it is in flight (an api restarted after the pause)', async () => {
    const rollout = (id: string, state: string, inFlight = false) => ({ id, state, zoneId: 'z', hosts: { h1: { hostId: 'h1', ...(inFlight ? { current: { purpose: 'contract' } } : {}) } } });
    const rollouts = [rollout('run', 'running'), rollout('abort', 'aborting'), rollout('settle', 'paused', true), rollout('wait', 'paused'), rollout('end', 'done')];
    const store = { list: async () => rollouts, ended: async () => false } as unknown as RelabelRolloutStore;
    const holds = { releaseEnded: async () => undefined } as unknown as RelabelHolds;
    const zoneLock = { releaseEnded: async () => false } as unknown as RelabelZoneLock;
    const service = new RelabelRunnerService({} as Redis, 'p', store, DEFAULT_RUNNER_OPTIONS, {} as never, {} as never, holds, zoneLock);
    const kicked: string[] = [];
    jest.spyOn(service, 'kick').mockImplementation((id) => void kicked.push(id));
    await service.superviseOnce();
    expect(kicked).toEqual(['run', 'abort', 'settle']);
  });
});
