import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILURE } from '../../apps/cli/src/cli-command';
import { CLI_MAIN, ensureBuiltApps } from '../support/worker-process';

const SECRET = 'cli-env-secret-0123456789';

/** The built CLI in `cwd` with only PATH/HOME and `env`: its exit code and everything it printed. */
function hostnet(cwd: string, args: string[], env: Record<string, string> = {}): { status: number | null; output: string } {
  const run = spawnSync(process.execPath, [CLI_MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the CLI reads .env as api and worker do (README: create .env, then run `hostnet topology`)', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuiltApps();
    dir = mkdtempSync(join(tmpdir(), 'hostnet-cli-env-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('without .env names the variable and both ways to set it', () => {
    const { status, output } = hostnet(dir, ['topology', '--zone', 'zone1']);
    expect(status).toBe(EXIT_FAILURE);
    expect(output).toContain('CLOUDSTACK_URL is not set: export it or put it in .env (or pass --url)');
  });

  it('with .env uses its CloudStack settings (the environment wins over it), never printing the secret', () => {
    // port 9 (discard) on loopback: nothing answers, so the command gets as far as calling CloudStack
    writeFileSync(join(dir, '.env'), `CLOUDSTACK_URL=http://127.0.0.1:9/client/api\nCLOUDSTACK_API_KEY=key\nCLOUDSTACK_SECRET_KEY=${SECRET}\n`);
    const fromFile = hostnet(dir, ['topology', '--zone', 'zone1']);
    expect(fromFile.status).toBe(EXIT_FAILURE);
    expect(fromFile.output).not.toMatch(/is not set/);
    expect(fromFile.output).toMatch(/127\.0\.0\.1:9/);
    expect(fromFile.output).not.toContain(SECRET);

    const envWins = hostnet(dir, ['topology', '--zone', 'zone1'], { CLOUDSTACK_URL: 'http://127.0.0.1:7/client/api' });
    expect(envWins.output).toMatch(/127\.0\.0\.1:7/);
    expect(envWins.output).not.toMatch(/127\.0\.0\.1:9/);
  });

  it('names an HOSTNET_ENV_FILE it cannot read', () => {
    const { status, output } = hostnet(dir, ['topology', '--zone', 'zone1'], { HOSTNET_ENV_FILE: 'missing.env' });
    expect(status).toBe(EXIT_FAILURE);
    expect(output).toMatch(/HOSTNET_ENV_FILE: cannot read .*missing\.env \(ENOENT\)/);
  });

  it('answers it with 1 for lint and plan, whose 2 means findings and changes', () => {
    for (const command of [['lint', '--zone', 'zone1'], ['plan', '--zone', 'zone1']]) {
      const { status, output } = hostnet(dir, command, { HOSTNET_ENV_FILE: 'missing.env' });
      expect([command[0], status]).toEqual([command[0], 1]);
      expect(output).toMatch(/HOSTNET_ENV_FILE: cannot read/);
    }
  });
});
