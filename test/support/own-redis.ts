import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, RedisProcess } from '@hostnet/simulator/environment/redis-process';
import { waitFor } from './redis-cluster';

/**
 * A redis-server of the test's own on a free loopback port (no persistence, its own directory), which the test can
 * stop and start again on the same port: an outage, a blip.
 */
export class OwnRedis {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort(), mkdtempSync(join(tmpdir(), 'hostnet-own-redis-')));
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Started (again, after stop): answers PING. A no-op while it runs. */
  async up(): Promise<void> {
    if (this.running()) return;
    this.child = spawn(RedisProcess.available()!, ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no', '--dir', this.dir], { stdio: 'ignore' });
    await waitFor(`127.0.0.1:${this.port}`, async (r) => (await r.ping()) === 'PONG');
  }

  /** Stopped (SIGTERM, waited for). A no-op while it is down. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Stopped and its directory removed. */
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
}
