import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@hostnet/config';
import { freePort, RedisProcess } from '@hostnet/simulator/environment/redis-process';
import { expectPermanent, thrown } from '../../../../test/support/error-expectations';
import { waitFor } from '../../../../test/support/redis-cluster';
import { Test } from '@nestjs/testing';
import type { RunHost } from '@hostnet/host-spec';
import type { PlatformConfig } from '../config/config.tokens';
import { PlatformModule } from '../platform.module';
import { HostRunSpecRepository } from '../run-spec/host-run-spec.repository';
import { connectRedis } from './redis-connection';

describe('connectRedis', () => {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  it('connects to the one server REDIS_URL names, with BullMQ-safe retries', async () => {
    const redis = connectRedis({ REDIS_URL: url });
    try {
      expect(await redis.ping()).toBe('PONG');
      expect(redis.options.maxRetriesPerRequest).toBeNull();
    } finally {
      await redis.quit();
    }
  });

  it('refuses a database other than 0 with a Cluster, without repeating the password', () => {
    const caught = thrown(() => connectRedis({ REDIS_URL: 'redis://u:hunter2@127.0.0.1:7000/3', REDIS_CLUSTER_NODES: [{ host: '127.0.0.1', port: 7000 }] }));
    expectPermanent(caught, ConfigError);
    expect(caught.message).toMatch(/REDIS_URL must name database 0 \(or none\) with REDIS_CLUSTER_NODES/);
    expect(caught.message).not.toContain('hunter2');
  });

  describe('with a Sentinel on loopback', () => {
    let dir: string;
    let master: RedisProcess;
    let sentinel: ChildProcess;
    let sentinelPort: number;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'hostnet-sentinel-'));
      master = await RedisProcess.start(dir);
      sentinelPort = await freePort();
      const conf = join(dir, 'sentinel.conf');
      writeFileSync(conf, `bind 127.0.0.1\nport ${sentinelPort}\nsentinel monitor main ${master.url.replace('redis://', '').replace(':', ' ')} 1\n`);
      sentinel = spawn(RedisProcess.available()!, [conf, '--sentinel'], { stdio: 'ignore' });
      await waitFor(`127.0.0.1:${sentinelPort}`, async (r) => (await r.ping()) === 'PONG');
    });

    afterAll(async () => {
      if (sentinel && sentinel.exitCode === null) {
        const exited = new Promise((resolve) => sentinel.once('exit', resolve));
        sentinel.kill('SIGTERM');
        await exited;
      }
      await master?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('asks the sentinels for the master and talks to it (REDIS_URL gives only credentials)', async () => {
      const redis = connectRedis({
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_SENTINELS: [{ host: '127.0.0.1', port: sentinelPort }],
        REDIS_SENTINEL_NAME: 'main',
      });
      try {
        await redis.set('hostnet-sentinel-spec', 'yes', 'EX', 10);
        const info = await redis.info('server');
        expect(info).toContain(`tcp_port:${new URL(master.url).port}`);
      } finally {
        await redis.quit();
      }
    });

    it("gives api's run-spec hand-over the same master: the spec a trigger stores is where the worker reads it", async () => {
      const config = {
        REDIS_URL: 'redis://127.0.0.1:1',
        REDIS_SENTINELS: [{ host: '127.0.0.1', port: sentinelPort }],
        REDIS_SENTINEL_NAME: 'main',
        QUEUE_PREFIX: `hostnet-sentinel-${process.pid}`,
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'pretty',
        NODE_ENV: 'test',
      } satisfies PlatformConfig;
      const app = await Test.createTestingModule({ imports: [PlatformModule.forRoot(config, 'worker')] }).compile();
      try {
        const specs = app.get(HostRunSpecRepository);
        const host: RunHost = { id: 'h1', name: 'kvm1', zoneId: 'z1', ipAddress: '192.0.2.10' };
        // a client of REDIS_URL alone would retry 127.0.0.1:1 for ever: fail in seconds instead
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer in 3 s: not connected to the master')), 3_000)));
        try {
          await Promise.race([specs.saveHost(host), late]);
          expect(await Promise.race([specs.host('h1'), late])).toEqual(host);
        } finally {
          clearTimeout(timer);
        }
      } finally {
        await app.close();
      }
    });
  });
});
