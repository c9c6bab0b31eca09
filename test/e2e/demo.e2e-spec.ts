import Redis from 'ioredis';
import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuiltApps } from '../support/worker-process';

const CLI_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');

/** The CLI's demo as README's first command runs it (after its install and build steps): exit code and both streams. */
function demo(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, 'demo', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("README's main command: the demo on its embedded zone", () => {
  beforeAll(() => ensureBuiltApps());

  it('configures and enables every host, re-runs them as no-ops, and its apps log no warning or error on the way', async () => {
    // two clusters, as README suggests for trying a relabel against the demo
    const { code, stdout, stderr } = await demo(['--hosts', '3', '--clusters', '2', '--apply-latency-ms', '100']);

    expect({ code, stderr: stderr.split('\n').filter((l) => /\b(WARN|ERROR)\b/.test(l)) }).toEqual({ code: 0, stderr: [] });
    expect(stdout).toContain('3/3 host(s) Enabled in CloudStack (3 updateHost call(s)); 0 failed.');
    expect(stdout).toContain('  3/3 no-op, 0 other');
    for (const host of ['kvm1', 'kvm2', 'kvm3']) expect(stdout).toMatch(new RegExp(`^  ${host} +enabled \\(`, 'm'));
  }, 120_000);

  it('on a shared Redis (REDIS_URL) says where its keys are and leaves none behind once it ended without --keep', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const { code, stdout } = await demo(['--hosts', '1', '--apply-latency-ms', '50'], { ...process.env, REDIS_URL: url });
    expect(code).toBe(0);
    const prefix = /^Redis: REDIS_URL, keys under (hostnet-[0-9a-f]+):\* \(removed when the demo ends\)$/m.exec(stdout)?.[1];
    expect(prefix).toBeDefined();
    const redis = new Redis(url);
    try {
      expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  }, 120_000);

  it('--keep prints the pages without the token and says which 0600 file holds it', async () => {
    const child = spawn(process.execPath, [CLI_MAIN, 'demo', '--hosts', '1', '--apply-latency-ms', '50', '--keep'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const deadline = Date.now() + 110_000;
      while (!stdout.includes('--keep: everything stays up') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(stdout).toContain('--keep: everything stays up');
      const file = /^ {2}<API_TOKEN>: the API_TOKEN line of (\S+) \(mode 0600\)/m.exec(stdout)?.[1];
      expect(file).toBeDefined();
      expect(statSync(file!).mode & 0o777).toBe(0o600);
      const token = /^export API_TOKEN='([^']+)'$/m.exec(readFileSync(file!, 'utf8'))?.[1];
      expect(token).toBeDefined();
      expect(stdout).not.toContain(token!);
      expect(stdout).toMatch(/^dashboard: +http:\/\/127\.0\.0\.1:\d+\/dashboard\?token=<API_TOKEN>$/m);
    } finally {
      child.kill('SIGINT');
      await closed;
    }
  }, 150_000);
});
