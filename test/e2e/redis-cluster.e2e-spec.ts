import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { QueueName } from '@hostnet/contracts';
import { PipelineHarness } from '../support/pipeline-harness';
import { RedisClusterProcesses } from '../support/redis-cluster';

/** Every key on `node`, whatever its slot. */
async function keysOf(redis: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe('pipeline on a 3-node Redis Cluster: every hostnet key in the hash-tag slot', () => {
  let cluster: RedisClusterProcesses;
  let h: PipelineHarness;
  const prefix = `{hostnet-${randomBytes(4).toString('hex')}}`;

  beforeAll(async () => {
    cluster = await RedisClusterProcesses.start(3);
    // REDIS_URL names the slot's owner only so the harness can drop the run's keys at stop();
    // api and worker find it themselves through REDIS_CLUSTER_NODES.
    const owner = await cluster.ownerOf(prefix);
    h = await PipelineHarness.start({
      hosts: 2,
      env: { REDIS_URL: `redis://${owner}`, REDIS_CLUSTER_NODES: cluster.nodes.join(','), QUEUE_PREFIX: prefix },
    });
  }, 90_000);

  afterAll(async () => {
    await h?.stop();
    await cluster?.stop();
  }, 60_000);

  it('configures and enables both hosts through the queue, with every key in one slot', async () => {
    await h.until('both hosts enabled', async () => {
      const { body } = await h.request<{ phase: string }[]>('GET', '/hosts');
      return body.length === 2 && body.every((s) => s.phase === 'enabled') ? body : undefined;
    }, 90_000);
    expect(h.zone.cloudstack.state.hosts.map((host) => host.resourceState)).toEqual(['Enabled', 'Enabled']);

    const owner = await cluster.ownerOf(prefix);
    const byNode = new Map<string, string[]>();
    for (const node of cluster.nodes) {
      const redis = cluster.node(node);
      try {
        byNode.set(node, await keysOf(redis));
      } finally {
        redis.disconnect();
      }
    }
    const keys = [...byNode.values()].flat();
    expect(keys.filter((k) => !k.startsWith(`${prefix}:`))).toEqual([]);
    for (const [node, held] of byNode) if (node !== owner) expect(held).toEqual([]);
    // BullMQ's keys and api's own (status, run registry, locks) all made it, in the one slot.
    expect(keys).toEqual(expect.arrayContaining([`${prefix}:${QueueName.HostNetwork}:meta`, `${prefix}:${QueueName.HostResults}:meta`]));
    expect(keys.some((k) => k.startsWith(`${prefix}:status:latest:`))).toBe(true);

    const redis = cluster.node(owner);
    try {
      const slot = Number(await redis.cluster('KEYSLOT', prefix));
      const slots = await Promise.all(keys.map((k) => redis.cluster('KEYSLOT', k)));
      expect(new Set(slots.map(Number))).toEqual(new Set([slot]));
      expect(Number(await redis.cluster('COUNTKEYSINSLOT', slot))).toBe(keys.length);
    } finally {
      redis.disconnect();
    }
  }, 120_000);
});
