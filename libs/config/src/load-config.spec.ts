import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  const valid = {
    CLOUDSTACK_URL: 'http://127.0.0.1:8080/client/api',
    CLOUDSTACK_API_KEY: 'key',
    CLOUDSTACK_SECRET_KEY: 'very-secret-value',
    API_TOKEN: 'a-token-of-sixteen+',
  };

  it('applies defaults and coerces numbers and booleans', () => {
    const cfg = loadConfig(['CLOUDSTACK_URL', 'POLL_INTERVAL_MS', 'HOSTNET_TRUST_ON_FIRST_USE'], {
      ...valid,
      POLL_INTERVAL_MS: '5000',
      HOSTNET_TRUST_ON_FIRST_USE: 'yes',
    });
    expect(cfg).toEqual({ CLOUDSTACK_URL: valid.CLOUDSTACK_URL, POLL_INTERVAL_MS: 5000, HOSTNET_TRUST_ON_FIRST_USE: true });
  });

  it('names every missing and every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig(['CLOUDSTACK_URL', 'CLOUDSTACK_API_KEY', 'WORKER_CONCURRENCY'], {
        CLOUDSTACK_URL: 'not a url',
        WORKER_CONCURRENCY: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toBeInstanceOf(HostnetError);
    // A bad environment stays bad until an operator fixes it: never worth a retry.
    expect((error as ConfigError).permanent).toBe(true);
    expect(isPermanentError(error)).toBe(true);
    expect((error as ConfigError).name).toBe('ConfigError');
    const message = (error as ConfigError).message;
    expect(message).toMatch(/CLOUDSTACK_URL is invalid: must be a URL/);
    expect(message).toMatch(/CLOUDSTACK_API_KEY is required/);
    expect(message).toMatch(/WORKER_CONCURRENCY is invalid/);
  });

  it('never echoes a value, so a mistyped secret is not printed', () => {
    expect(() => loadConfig(['API_TOKEN'], { API_TOKEN: 'short-secret' })).toThrow(ConfigError);
    try {
      loadConfig(['API_TOKEN'], { API_TOKEN: 'short-secret' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
  });

  it('refuses a WEBHOOK_SECRET under 32 characters, naming the variable and the fix but not the value', () => {
    const short = 'only-twenty-chars-xx';
    expect(() => loadConfig(['WEBHOOK_SECRET'], { WEBHOOK_SECRET: short })).toThrow(
      /WEBHOOK_SECRET is invalid: is shorter than 32 characters; fix: generate one with `openssl rand -base64 32`/,
    );
    try {
      loadConfig(['WEBHOOK_SECRET'], { WEBHOOK_SECRET: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
    expect(loadConfig(['WEBHOOK_SECRET'], { WEBHOOK_SECRET: 'x'.repeat(32) }).WEBHOOK_SECRET).toHaveLength(32);
    expect(loadConfig(['WEBHOOK_SECRET'], {}).WEBHOOK_SECRET).toBeUndefined();
  });
});
