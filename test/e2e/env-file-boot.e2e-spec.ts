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

  /**
   * Per app: a variable .env sets that would otherwise be reported missing, one whose value there is invalid
   * (with a valid one the real environment gives), and one that only another file sets. The worker
   * validates no CloudStack variable (api derives every spec), so its secret in .env is simply unused.
   */
  const CASES = [
    { app: 'worker', main: WORKER_MAIN, set: 'HOSTNET_SSH_KEY', setValue: '/etc/hostnet/id_ed25519', invalid: 'HOSTNET_ROLLBACK_SECONDS', bad: 'soon', good: '120', other: 'HOSTNET_KNOWN_HOSTS', otherValue: '/etc/hostnet/known_hosts' },
    { app: 'api', main: API_MAIN, set: 'CLOUDSTACK_API_KEY', setValue: 'key-from-file', invalid: 'CLOUDSTACK_URL', bad: 'not a url', good: 'http://127.0.0.1:9/client/api', other: 'HOSTNET_PROFILES', otherValue: '/nonexistent/profiles.yaml' },
  ];

  it.each(CASES)('$app: variables in .env count, the real environment wins, HOSTNET_ENV_FILE picks another file', (c) => {
    const secret = 'env-file-secret-0123456789';
    writeFileSync(join(dir, '.env'), `${c.set}=${c.setValue}\nCLOUDSTACK_SECRET_KEY=${secret}\n${c.invalid}=${c.bad}\n`);
    const withFile = boot(c.main, dir);
    expect(withFile).not.toMatch(new RegExp(`${c.set} is required|CLOUDSTACK_SECRET_KEY is required`));
    expect(withFile).toMatch(new RegExp(`${c.invalid} is invalid`));
    expect(withFile).toMatch(new RegExp(`${c.other} is required`));
    expect(withFile).not.toContain(secret);

    const envWins = boot(c.main, dir, { [c.invalid]: c.good });
    expect(envWins).not.toMatch(new RegExp(c.invalid));

    writeFileSync(join(dir, 'other.env'), `${c.other}=${c.otherValue}\n`);
    const named = boot(c.main, dir, { HOSTNET_ENV_FILE: 'other.env' });
    expect(named).toMatch(new RegExp(`${c.set} is required`));
    expect(named).not.toMatch(new RegExp(`${c.other} is required`));
  });

  it.each([
    ['a missing', (file: string) => file, /^ {2}- HOSTNET_PROFILES \(.*\/absent\.yaml\): \(file\): cannot be read \(ENOENT\); fix: check the path and permissions$/m],
    ['an invalid', (file: string) => (writeFileSync(file, 'version: 1\nprofiles: {}\nselectors: [{ profile: nope }]\n'), file), /^ {2}- HOSTNET_PROFILES \(.*\/absent\.yaml\): selectors\[0\]\.profile: /m],
  ])('api: %s HOSTNET_PROFILES stops it in the invalid-configuration block, naming the variable, with no stack trace', (_what, prepare, line) => {
    const file = prepare(join(dir, 'absent.yaml'));
    const env = {
      CLOUDSTACK_URL: 'http://127.0.0.1:9/client/api',
      CLOUDSTACK_API_KEY: 'k',
      CLOUDSTACK_SECRET_KEY: 's'.repeat(20),
      HOSTNET_PROFILES: file,
      API_TOKEN: 't'.repeat(32),
      WEBHOOK_SECRET: 'w'.repeat(32),
      REDIS_URL: 'redis://127.0.0.1:9',
      HOSTNET_ENV_FILE: '/dev/null',
    };
    const out = boot(API_MAIN, dir, env);
    expect(out).toMatch(/^invalid configuration:$/m);
    expect(out).toMatch(line);
    expect(out).not.toMatch(/\n\s+at /);
    rmSync(file, { force: true });
  });
});
