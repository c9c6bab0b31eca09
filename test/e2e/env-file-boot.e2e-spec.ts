import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_MAIN, ensureBuiltApps, WORKER_MAIN } from '../support/worker-process';

/** Boots a built main in `cwd` with only `env`; it stops at config validation, which names what is missing. */
function boot(main: string, cwd: string, env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, [main], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status).toBe(1);
  return `${run.stdout}${run.stderr}`;
}

describe('api and worker read .env from their working directory before validating config', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostnet-envboot-'));
    ensureBuiltApps();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['worker', WORKER_MAIN],
    ['api', API_MAIN],
  ])('%s: variables in .env count, the real environment wins, HOSTNET_ENV_FILE picks another file', (_app, main) => {
    const secret = 'env-file-secret-0123456789';
    writeFileSync(join(dir, '.env'), `CLOUDSTACK_API_KEY=key-from-file\nCLOUDSTACK_SECRET_KEY=${secret}\nCLOUDSTACK_URL=not a url\n`);
    const withFile = boot(main, dir);
    expect(withFile).not.toMatch(/CLOUDSTACK_API_KEY is required|CLOUDSTACK_SECRET_KEY is required/);
    expect(withFile).toMatch(/CLOUDSTACK_URL is invalid/);
    expect(withFile).toMatch(/HOSTNET_PROFILES is required/);
    expect(withFile).not.toContain(secret);

    const envWins = boot(main, dir, { CLOUDSTACK_URL: 'http://127.0.0.1:9/client/api' });
    expect(envWins).not.toMatch(/CLOUDSTACK_URL/);

    writeFileSync(join(dir, 'other.env'), 'HOSTNET_PROFILES=/nonexistent/profiles.yaml\n');
    const named = boot(main, dir, { HOSTNET_ENV_FILE: 'other.env' });
    expect(named).toMatch(/CLOUDSTACK_API_KEY is required/);
    expect(named).not.toMatch(/HOSTNET_PROFILES is required/);
  });
});
