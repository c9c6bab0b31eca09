import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import Redis from 'ioredis';

/** A private redis-server on a free loopback port, for the demo when no Redis is configured. */
export class RedisProcess {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static available(): string | undefined {
    return ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => existsSync(p));
  }

  static async start(dir: string): Promise<RedisProcess> {
    const binary = RedisProcess.available();
    if (!binary) throw new Error('no Redis configured (REDIS_URL) and redis-server is not installed: install redis-server or set REDIS_URL');
    const port = await freePort();
    const child = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    const url = `redis://127.0.0.1:${port}`;
    await waitForPing(url, child);
    return new RedisProcess(url, child);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

async function waitForPing(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined); // refusals are expected until redis-server listens
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new Error(`redis-server did not answer on ${url}`);
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
