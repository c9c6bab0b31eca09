import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvFile } from './env-file';
import { ConfigError, loadConfig } from './load-config';

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostnet-envfile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const FILE = [
    '# a comment',
    'CLOUDSTACK_URL=http://127.0.0.1:8080/client/api',
    'CLOUDSTACK_SECRET_KEY="quoted secret # not a comment"',
    'export-less=ignored-by-schema',
    'POLL_INTERVAL_MS=5000',
    '',
  ].join('\n');

  it('reads .env from the working directory into the environment, so loadConfig validates it', () => {
    writeFileSync(join(dir, '.env'), FILE);
    const env: NodeJS.ProcessEnv = {};
    const result = loadEnvFile(env, dir);
    expect(result.path).toBe(join(dir, '.env'));
    expect(result.applied).toEqual(expect.arrayContaining(['CLOUDSTACK_URL', 'CLOUDSTACK_SECRET_KEY', 'POLL_INTERVAL_MS']));
    expect(env.CLOUDSTACK_SECRET_KEY).toBe('quoted secret # not a comment');
    expect(loadConfig(['CLOUDSTACK_URL', 'POLL_INTERVAL_MS'], env)).toEqual({
      CLOUDSTACK_URL: 'http://127.0.0.1:8080/client/api',
      POLL_INTERVAL_MS: 5000,
    });
  });

  it('never replaces a variable the real environment already sets', () => {
    writeFileSync(join(dir, '.env'), FILE);
    const env: NodeJS.ProcessEnv = { POLL_INTERVAL_MS: '0' };
    const result = loadEnvFile(env, dir);
    expect(env.POLL_INTERVAL_MS).toBe('0');
    expect(result.overridden).toEqual(['POLL_INTERVAL_MS']);
    expect(result.applied).not.toContain('POLL_INTERVAL_MS');
  });

  it('leaves the variables another app reads (a shared file) out of the environment, named in the result', () => {
    writeFileSync(join(dir, '.env'), FILE);
    const env: NodeJS.ProcessEnv = {};
    const result = loadEnvFile(env, dir, (name) => name.startsWith('CLOUDSTACK_'));
    expect(result.leftToOthers).toEqual(['CLOUDSTACK_SECRET_KEY', 'CLOUDSTACK_URL']);
    expect(result.applied).not.toContain('CLOUDSTACK_SECRET_KEY');
    expect(Object.keys(env).filter((name) => name.startsWith('CLOUDSTACK_'))).toEqual([]);
    expect(env.POLL_INTERVAL_MS).toBe('5000');
  });

  it('reads HOSTNET_ENV_FILE instead of .env, relative to the working directory', () => {
    writeFileSync(join(dir, '.env'), 'POLL_INTERVAL_MS=1\n');
    writeFileSync(join(dir, 'prod.env'), 'POLL_INTERVAL_MS=2\n');
    const env: NodeJS.ProcessEnv = { HOSTNET_ENV_FILE: 'prod.env' };
    loadEnvFile(env, dir);
    expect(env.POLL_INTERVAL_MS).toBe('2');
  });

  it('is silent without a .env, but a missing HOSTNET_ENV_FILE stops the boot with its name', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile(env, dir)).toEqual({ applied: [], overridden: [], leftToOthers: [] });
    expect(env).toEqual({});
    expect(() => loadEnvFile({ HOSTNET_ENV_FILE: 'missing.env' }, dir)).toThrow(ConfigError);
    expect(() => loadEnvFile({ HOSTNET_ENV_FILE: 'missing.env' }, dir)).toThrow(/HOSTNET_ENV_FILE: cannot read .*missing\.env \(ENOENT\)/);
  });

  it('stops the boot at a line it would misread, naming the line and never the values', () => {
    writeFileSync(join(dir, '.env'), 'POLL_INTERVAL_MS=1\nthis is junk\nAPI_TOKEN=t0ken-value\n');
    expect(() => loadEnvFile({}, dir)).toThrow(`${join(dir, '.env')} line 2: not NAME=value; fix: write NAME=value, or start the line with # to keep it as a comment`);
    writeFileSync(join(dir, '.env'), "POLL_INTERVAL_MS=1\nCLOUDSTACK_SECRET_KEY='s3cret-value\nAPI_TOKEN=x\n");
    expect(() => loadEnvFile({}, dir)).toThrow(/line 2: the ' opened in this value is never closed/);
    expect(() => loadEnvFile({}, dir)).toThrow(/^(?!.*s3cret)/s);
  });

  it('reads a quoted value that spans lines, and export NAME=value', () => {
    writeFileSync(join(dir, '.env'), 'export POLL_INTERVAL_MS=7\nHOSTNET_NOTE="two\nlines"\nAPI_TOKEN=t\n');
    const env: NodeJS.ProcessEnv = {};
    loadEnvFile(env, dir);
    expect([env.POLL_INTERVAL_MS, env.HOSTNET_NOTE, env.API_TOKEN]).toEqual(['7', 'two\nlines', 't']);
  });
});
