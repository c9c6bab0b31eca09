import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_MAIN, ensureBuiltApps, WORKER_MAIN } from '../support/worker-process';
import { generateEd25519KeyPair } from '@hostnet/ssh';

const PASSWORD = 'redis-password-0123456789';

/** A loopback port nothing listens on: bound once to learn a free number, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts a built main with `env`; resolves with its exit code, output and how long it ran. */
function run(main: string, env: Record<string, string>, signalAfterMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [main], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const hard = setTimeout(() => child.kill('SIGKILL'), 30_000);
  if (signalAfterMs !== undefined) setTimeout(() => child.kill('SIGTERM'), signalAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearTimeout(hard);
      resolve({ code, signal, output, ms: Date.now() - started });
    }),
  );
}

describe('api and worker with their Redis out of reach: a clear error naming REDIS_URL, and a stop signal obeyed', () => {
  let dir: string;
  let env: { api: Record<string, string>; worker: Record<string, string> };
  beforeAll(async () => {
    ensureBuiltApps();
    dir = mkdtempSync(join(tmpdir(), 'hostnet-startup-'));
    writeFileSync(join(dir, 'id_ed25519'), generateEd25519KeyPair('hostnet').privateKey);
    writeFileSync(join(dir, 'known_hosts'), '');
    const redisUrl = `redis://hostnet:${PASSWORD}@127.0.0.1:${await closedPort()}/0`;
    env = {
      api: {
        REDIS_URL: redisUrl,
        CLOUDSTACK_URL: 'http://127.0.0.1:9/client/api',
        CLOUDSTACK_API_KEY: 'key',
        CLOUDSTACK_SECRET_KEY: 'secret-0123456789',
        HOSTNET_PROFILES: join(process.cwd(), 'libs/intent/examples/el7-ovs.profile.yaml'),
        API_TOKEN: 'token-0123456789abcdefghij',
        API_PORT: '0',
      },
      worker: { REDIS_URL: redisUrl, HOSTNET_SSH_KEY: join(dir, 'id_ed25519'), HOSTNET_KNOWN_HOSTS: join(dir, 'known_hosts') },
    };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['api', API_MAIN],
    ['worker', WORKER_MAIN],
  ] as const)('%s exits 1 within its wait, naming where Redis was expected and never its password', async (app, main) => {
    const { code, output, ms } = await run(main, env[app]);
    expect(code).toBe(1);
    expect(output).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+\/0 within 10 s \(.*ECONNREFUSED.*\): start Redis there or fix REDIS_URL/);
    expect(output).not.toContain(PASSWORD);
    expect(output).not.toMatch(/Unhandled error event/);
    expect(ms).toBeLessThan(20_000);
  }, 40_000);

  it.each([
    ['api', API_MAIN],
    ['worker', WORKER_MAIN],
  ] as const)('%s stops at once on SIGTERM while it waits for Redis', async (app, main) => {
    const { code, signal, output, ms } = await run(main, env[app], 1_500);
    // On a loaded machine the signal can come while node still loads the app's modules, before main installs its
    // handler: the default action ends it just as at once, without the line. Either way it never waits on Redis.
    if (signal === 'SIGTERM') expect(output).not.toContain('cannot reach Redis');
    else {
      expect(code).toBe(143);
      expect(output).toContain(`${app} stopped by SIGTERM while starting`);
    }
    expect(ms).toBeLessThan(5_000);
  }, 40_000);
});
