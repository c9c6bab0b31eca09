import Redis from 'ioredis';

/** One Redis key and every value it holds, flattened to text (hash fields and stream entries included). */
export interface DumpedKey {
  key: string;
  type: string;
  text: string;
}

/**
 * Reads every key under `prefix:` whatever its type: strings, hashes, lists, sets, zsets and streams.
 * A key that disappears between SCAN and read is skipped (jobs are removed as they finish).
 */
export async function dumpPrefix(redis: Redis, prefix: string): Promise<DumpedKey[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    batch.forEach((k) => keys.add(k));
    cursor = next;
  } while (cursor !== '0');
  const dumped: DumpedKey[] = [];
  for (const key of [...keys].sort()) {
    const type = await redis.type(key);
    const text = await readAsText(redis, key, type);
    if (text !== undefined) dumped.push({ key, type, text });
  }
  return dumped;
}

async function readAsText(redis: Redis, key: string, type: string): Promise<string | undefined> {
  switch (type) {
    case 'string':
      return (await redis.get(key)) ?? undefined;
    case 'hash':
      return JSON.stringify(await redis.hgetall(key));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'set':
      return JSON.stringify(await redis.smembers(key));
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    case 'none':
      return undefined;
    default:
      throw new Error(`redis key ${key} has type ${type}, which the dump does not read yet`);
  }
}

/** Deletes every key under `prefix:` (a test's own QUEUE_PREFIX). */
export async function dropPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (batch.length > 0) await redis.del(...batch);
    cursor = next;
  } while (cursor !== '0');
}
