import { HostnetError, isPermanentError } from '@hostnet/contracts';
import { thrown } from '../../../test/support/error-expectations';
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

  it('takes a choice in any case, and names the choices, never the value, when it is none of them', () => {
    const keys = ['HOSTNET_TRUST_ON_FIRST_USE', 'LOG_LEVEL', 'HOSTNET_OVS_DATAPATH'] as const;
    expect(loadConfig(keys, { HOSTNET_TRUST_ON_FIRST_USE: 'TRUE', LOG_LEVEL: 'Debug', HOSTNET_OVS_DATAPATH: ' netdev ' })).toEqual({
      HOSTNET_TRUST_ON_FIRST_USE: true,
      LOG_LEVEL: 'debug',
      HOSTNET_OVS_DATAPATH: 'netdev',
    });
    expect(loadConfig(keys, {})).toEqual({ HOSTNET_TRUST_ON_FIRST_USE: false, LOG_LEVEL: 'log', HOSTNET_OVS_DATAPATH: 'system' });
    const message = (thrown(() => loadConfig(keys, { HOSTNET_TRUST_ON_FIRST_USE: 'sometimes-s3cret', LOG_LEVEL: 'loud' })) as ConfigError).message;
    expect(message).toMatch(/HOSTNET_TRUST_ON_FIRST_USE is invalid: is not one of true, false, 1, 0, yes, no; fix: write one of them/);
    expect(message).toMatch(/LOG_LEVEL is invalid: is not one of error, warn, log, debug, verbose; fix: write one of them/);
    expect(message).not.toMatch(/s3cret|loud/);
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

  it('names a number written with a unit, and the range it must fall in', () => {
    expect(() => loadConfig(['POLL_INTERVAL_MS'], { POLL_INTERVAL_MS: '30s' })).toThrow(/POLL_INTERVAL_MS is invalid: is not a number; fix: write a whole number from \d+ to \d+, without a unit/);
    expect(() => loadConfig(['WORKER_CONCURRENCY'], { WORKER_CONCURRENCY: '0' })).toThrow(/WORKER_CONCURRENCY is invalid: is below 1; fix: write a whole number from 1 to/);
  });

  it('never echoes a value, so a mistyped secret is not printed', () => {
    expect(() => loadConfig(['API_TOKEN'], { API_TOKEN: 'short-secret' })).toThrow(ConfigError);
    try {
      loadConfig(['API_TOKEN'], { API_TOKEN: 'short-secret' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short-secret');
    }
  });

  it('refuses a CLOUDSTACK_URL with a query (a pasted API URL carries the keys) with the others, at start, never echoing it', () => {
    const url = 'http://127.0.0.1:1/client/api?apikey=k1&secretkey=S3CRET';
    expect(() => loadConfig(['CLOUDSTACK_URL'], { CLOUDSTACK_URL: url })).toThrow(/CLOUDSTACK_URL is invalid: must have no query string, fragment or user:password@/);
    expect(() => loadConfig(['CLOUDSTACK_URL'], { CLOUDSTACK_URL: url })).toThrow(/^(?!.*S3CRET)/s);
    expect(loadConfig(['CLOUDSTACK_URL'], { CLOUDSTACK_URL: 'https://cloud.example.com/client/api' })).toEqual({ CLOUDSTACK_URL: 'https://cloud.example.com/client/api' });
  });

  it('refuses a REDIS_URL that is not a redis:// URL with the fix and an example, never echoing it', () => {
    for (const url of ['notredis', 'http://127.0.0.1:6379', 'redis://:S3CRET@', 'redis:///run/redis/redis.sock']) {
      expect(() => loadConfig(['REDIS_URL'], { REDIS_URL: url })).toThrow(
        /\n {2}- REDIS_URL is invalid: must be a redis:\/\/ or rediss:\/\/ URL with a host \(a Unix socket path is not supported\); fix: e\.g\. redis:\/\/127\.0\.0\.1:6379, or redis:\/\/:PASSWORD@redis\.example\.com:6379\/0 with a password \(rediss:\/\/ for TLS\)$/m,
      );
      expect(() => loadConfig(['REDIS_URL'], { REDIS_URL: url })).toThrow(/^(?!.*S3CRET)/s);
    }
    for (const url of ['redis://127.0.0.1:6399', 'rediss://:pw@redis.example.com:6380/1']) expect(loadConfig(['REDIS_URL'], { REDIS_URL: url })).toEqual({ REDIS_URL: url });
  });

  it('refuses a CLOUDSTACK_URL that is not http(s) at start, naming the fix', () => {
    for (const url of ['ftp://cloud.example.com/client/api', 'file:///etc/passwd']) {
      expect(() => loadConfig(['CLOUDSTACK_URL'], { CLOUDSTACK_URL: url })).toThrow(/CLOUDSTACK_URL is invalid: must be an http:\/\/ or https:\/\/ URL/);
    }
    expect(loadConfig(['CLOUDSTACK_URL'], { CLOUDSTACK_URL: 'http://127.0.0.1:8080/client/api' })).toEqual({ CLOUDSTACK_URL: 'http://127.0.0.1:8080/client/api' });
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
  describe('Redis topology', () => {
    const keys = ['QUEUE_PREFIX', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS', 'REDIS_SENTINEL_NAME'] as const;

    it('reads cluster seeds and sentinels as host:port lists, IPv6 in brackets', () => {
      expect(loadConfig(keys, { QUEUE_PREFIX: '{hostnet}', REDIS_CLUSTER_NODES: '10.0.0.1:7000,[::1]:7001' })).toMatchObject({
        QUEUE_PREFIX: '{hostnet}',
        REDIS_CLUSTER_NODES: [
          { host: '10.0.0.1', port: 7000 },
          { host: '::1', port: 7001 },
        ],
      });
      expect(loadConfig(keys, { REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'mymaster' })).toMatchObject({
        QUEUE_PREFIX: 'hostnet',
        REDIS_SENTINELS: [
          { host: 's1', port: 26379 },
          { host: 's2', port: 26379 },
        ],
        REDIS_SENTINEL_NAME: 'mymaster',
      });
    });

    it('allows braces in QUEUE_PREFIX only as one leading hash tag', () => {
      for (const ok of ['{hostnet}', '{hostnet}-eu', 'hostnet-eu']) expect(loadConfig(['QUEUE_PREFIX'], { QUEUE_PREFIX: ok }).QUEUE_PREFIX).toBe(ok);
      for (const bad of ['host{net}', '{a}{b}', '{}', '{host:net}', 'a:b']) {
        expect(() => loadConfig(['QUEUE_PREFIX'], { QUEUE_PREFIX: bad })).toThrow(/QUEUE_PREFIX is invalid: .*one leading hash tag such as \{hostnet\}/);
      }
    });

    it('refuses a bad host:port list, naming the variable and the form', () => {
      expect(() => loadConfig(keys, { QUEUE_PREFIX: '{h}', REDIS_CLUSTER_NODES: '10.0.0.1' })).toThrow(
        /REDIS_CLUSTER_NODES is invalid: write REDIS_CLUSTER_NODES as host:port/,
      );
    });

    it('refuses a cluster without a hash-tag prefix, and names the fix', () => {
      expect(() => loadConfig(keys, { REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(
        /QUEUE_PREFIX must open with a hash tag when REDIS_CLUSTER_NODES is set.*e\.g\. QUEUE_PREFIX=\{hostnet\}/,
      );
    });

    it('refuses cluster and sentinels together, and sentinels without their master name (or the reverse)', () => {
      const both = thrown(() =>
        loadConfig(keys, { QUEUE_PREFIX: '{h}', REDIS_CLUSTER_NODES: '127.0.0.1:7000', REDIS_SENTINELS: '127.0.0.1:26379' }),
      ).message;
      expect(both).toMatch(/REDIS_CLUSTER_NODES and REDIS_SENTINELS are both set; unset one/);
      expect(both).toMatch(/REDIS_SENTINEL_NAME is required with REDIS_SENTINELS; set the master name/);
      expect(() => loadConfig(keys, { REDIS_SENTINEL_NAME: 'mymaster' })).toThrow(/REDIS_SENTINEL_NAME is set without REDIS_SENTINELS/);
    });
  });
});
