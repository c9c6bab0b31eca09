import { spawn, type ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { freePort, RedisProcess } from '@hostnet/simulator/environment/redis-process';

/**
 * A private redis-server on its own loopback port, configured as production should be (AOF, fsync
 * at every write, noeviction), which the Redis-restart fault stops and starts again on the same port.
 * Never the shared test Redis.
 */
export class RestartableRedis {
  private child?: ChildProcess;

  private constructor(
    private readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(dir: string): Promise<RestartableRedis> {
    const redis = new RestartableRedis(await freePort(), dir);
    await redis.spawn();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops the server (it writes its AOF on the way down) and starts it again; resolves once it answers. */
  async restart(downMs = 500): Promise<void> {
    await this.stop();
    await new Promise((r) => setTimeout(r, downMs));
    await this.spawn();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async spawn(): Promise<void> {
    const binary = RedisProcess.available();
    if (!binary) throw new Error('the Redis-restart fault needs redis-server: install it (apt-get install redis-server)');
    const args = ['--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction'];
    this.child = spawn(binary, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      const pong = await client.connect().then(() => client.ping()).catch(() => undefined);
      client.disconnect();
      if (pong === 'PONG') return;
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`private redis-server on ${this.url} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
