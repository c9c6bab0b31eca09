import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort, RedisProcess } from '@hostnet/simulator/environment/redis-process';

const run = promisify(execFile);

/**
 * A Redis Cluster of `count` masters (no replicas) on loopback, each in its own directory under one
 * private temp dir; stop() kills every node and removes the dir.
 */
export class RedisClusterProcesses {
  private constructor(
    /** `127.0.0.1:port` of every node, as REDIS_CLUSTER_NODES lists them. */
    readonly nodes: string[],
    private readonly children: ChildProcess[],
    private readonly dir: string,
  ) {}

  static async start(count = 3): Promise<RedisClusterProcesses> {
    const binary = RedisProcess.available();
    if (!binary) throw new Error('redis-server is not installed: install redis-server (it brings redis-cli)');
    const dir = mkdtempSync(join(tmpdir(), 'hostnet-redis-cluster-'));
    const cluster = new RedisClusterProcesses([], [], dir);
    try {
      for (let i = 0; i < count; i++) {
        // The bus port is chosen too: port + 10000, Redis' default, may not exist.
        const [port, bus] = [await freePort(), await freePort()];
        const args = ['--bind', '127.0.0.1', '--port', String(port), '--cluster-enabled', 'yes', '--cluster-port', String(bus)];
        args.push('--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no');
        cluster.children.push(spawn(binary, args, { stdio: 'ignore' }));
        cluster.nodes.push(`127.0.0.1:${port}`);
      }
      await Promise.all(cluster.nodes.map((node) => waitFor(node, async (r) => (await r.ping()) === 'PONG')));
      await run('redis-cli', ['--cluster', 'create', ...cluster.nodes, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
      await Promise.all(cluster.nodes.map((node) => waitFor(node, async (r) => String(await r.cluster('INFO')).includes('cluster_state:ok'))));
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** A plain (non-cluster) client of one node; the caller quits it. */
  node(node: string): Redis {
    const [host, port] = node.split(':');
    return new Redis({ host, port: Number(port), maxRetriesPerRequest: 1 });
  }

  /** The node serving the slot `key` hashes to. */
  async ownerOf(key: string): Promise<string> {
    const redis = this.node(this.nodes[0]!);
    try {
      const slot = Number(await redis.cluster('KEYSLOT', key));
      const range = (await redis.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
      const [host, port] = range?.[2] ?? [];
      if (!host) throw new Error(`no node serves slot ${slot}`);
      return `${host}:${port}`;
    } finally {
      redis.disconnect();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return undefined;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        return exited;
      }),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Waits until the Redis (or Sentinel) at `node` (host:port) listens and `ready` holds on it. */
export async function waitFor(node: string, ready: (redis: Redis) => Promise<boolean>): Promise<void> {
  const [host, port] = node.split(':');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const redis = new Redis({ host, port: Number(port), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    redis.on('error', () => undefined); // refusals are expected until the node listens
    try {
      await redis.connect();
      if (await ready(redis)) return;
    } catch {
      // not yet
    } finally {
      redis.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`Redis at ${node} not ready after 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
