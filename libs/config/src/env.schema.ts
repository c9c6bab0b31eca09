import { z } from 'zod';

/** One of `values`, in any case; the message names them and never the value given (README: values are never echoed). */
const choice = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(values, { errorMap: () => ({ message: `is not one of ${values.join(', ')}; fix: write one of them` }) }));
const bool = choice(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
/** A whole number from min to max, written without a unit (`30000`, not `30s`): each way to miss says so. */
const int = (min: number, max: number) => {
  const range = `a whole number from ${min} to ${max}, without a unit`;
  return z.coerce
    .number({ invalid_type_error: `is not a number; fix: write ${range}` })
    .int(`is not a whole number; fix: write ${range}`)
    .min(min, `is below ${min}; fix: write ${range}`)
    .max(max, `is above ${max}; fix: write ${range}`);
};
/** `host:port,host:port` → [{host, port}]; an IPv6 host goes in brackets ([::1]:7000). */
const hostPorts = (name: string) =>
  z
    .string()
    .regex(
      /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}(,(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5})*$/,
      `write ${name} as host:port[,host:port…], e.g. 10.0.0.1:6379,10.0.0.2:6379`,
    )
    .transform((list) =>
      list.split(',').map((entry) => {
        const at = entry.lastIndexOf(':');
        return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(entry.slice(at + 1)) };
      }),
    );

/**
 * Every variable hostnet reads. README documents each; .env.example lists them. Each app validates only
 * its own keys (API_CONFIG_KEYS, WORKER_CONFIG_KEYS): CLOUDSTACK_* and HOSTNET_PROFILES are api's alone.
 * Secrets (CLOUDSTACK_SECRET_KEY, API_TOKEN, WEBHOOK_SECRET) are only ever read through this schema.
 */
const REDIS_URL_HINT = 'must be a redis:// or rediss:// URL with a host (a Unix socket path is not supported); fix: e.g. redis://127.0.0.1:6379, or redis://:PASSWORD@redis.example.com:6379/0 with a password (rediss:// for TLS)';

export const envSchema = z.object({
  REDIS_URL: z
    .string()
    .refine(isRedisUrl, REDIS_URL_HINT)
    .default('redis://127.0.0.1:6379'),
  /**
   * Prefix of every Redis key hostnet writes, so several installs (or test runs) can share one Redis.
   * May open with one hash tag (`{hostnet}`), which REDIS_CLUSTER_NODES requires.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(/^(\{[A-Za-z0-9_-]+\})?[A-Za-z0-9_-]*$/, 'letters, digits, _ and - only, optionally after one leading hash tag such as {hostnet}')
    .min(1, 'must not be empty')
    .default('hostnet'),
  /** Seeds of a Redis Cluster (host:port, comma separated); REDIS_URL then gives only credentials and TLS. */
  REDIS_CLUSTER_NODES: hostPorts('REDIS_CLUSTER_NODES').optional(),
  /** Sentinels (host:port, comma separated) that name the Redis master; REDIS_URL then gives credentials and TLS. */
  REDIS_SENTINELS: hostPorts('REDIS_SENTINELS').optional(),
  /** Name of the master the sentinels monitor (their `sentinel monitor <name> …`). */
  REDIS_SENTINEL_NAME: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ., _ and - only, e.g. mymaster').optional(),

  CLOUDSTACK_URL: z
    .string()
    .url('must be a URL such as https://cloud.example.com/client/api')
    // checked here, at start, with the other variables (the client checks it again, for the CLI): a query would
    // otherwise stop api inside Nest's start with a stack trace, and might carry the keys
    .refine(withoutQueryOrCredentials, 'must have no query string, fragment or user:password@ (the keys go in CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY), e.g. https://cloud.example.com/client/api')
    .refine(isHttp, 'must be an http:// or https:// URL (the API endpoint, e.g. https://cloud.example.com/client/api)'),
  CLOUDSTACK_API_KEY: z.string().min(1, 'set the API key of a root admin account'),
  CLOUDSTACK_SECRET_KEY: z.string().min(1, 'set the secret key that goes with CLOUDSTACK_API_KEY'),
  CLOUDSTACK_TIMEOUT_MS: int(100, 600_000).default(30_000),
  /**
   * How long api waits for a host it reconnected to be listed Up before it enables it (reconnectHost disconnects
   * the agent; the agent comes back after its own back-off), at least twice CLOUDSTACK_TIMEOUT_MS.
   */
  CLOUDSTACK_RECONNECT_WAIT_MS: int(100, 3_600_000).default(300_000),
  CLOUDSTACK_MAX_CONCURRENT: int(1, 256).default(8),
  /** How often async jobs (reconnectHost, maintenance) are polled: listAsyncJobs pages for several, queryAsyncJobResult for one. */
  CLOUDSTACK_ASYNC_POLL_INTERVAL_MS: int(50, 60_000).default(2_000),
  /**
   * How long poller and drift passes, which list only hosts, reuse a zone's pods, clusters, physical
   * networks and labels before reading them again (a new host, pod or cluster reads them at once).
   */
  CLOUDSTACK_TOPOLOGY_TTL_MS: int(0, 86_400_000).default(300_000),
  /**
   * api re-reads the zone before enabling a verified host (has CloudStack changed during the run?);
   * these reads start at least this far apart, so results arriving one after another share one.
   */
  CLOUDSTACK_RECHECK_SPACING_MS: int(0, 60_000).default(1_000),

  /** Host profiles file (YAML): bonds, backend, MTU, DNS, extra bridges, per-host overrides. */
  HOSTNET_PROFILES: z.string().min(1, 'path of the host profiles YAML file'),
  /** SSH endpoints file (YAML): where to reach each host, when not at its CloudStack address. */
  HOSTNET_SSH_ENDPOINTS: z.string().optional(),
  HOSTNET_SSH_USER: z.string().regex(/^[a-z_][a-z0-9_-]*$/, 'a POSIX user name').default('root'),
  HOSTNET_SSH_KEY: z.string().min(1, 'path of the private key hostnet logs in with'),
  HOSTNET_KNOWN_HOSTS: z.string().min(1, 'path of the known_hosts file used for strict host-key checking'),
  HOSTNET_TRUST_ON_FIRST_USE: bool.default('false'),
  HOSTNET_SSH_CONNECT_TIMEOUT_MS: int(100, 120_000).default(10_000),
  HOSTNET_SSH_COMMAND_TIMEOUT_MS: int(100, 3_600_000).default(120_000),
  /** How long the worker keeps a host's SSH connection open after a run, for the next one (0: close at once). */
  HOSTNET_SSH_KEEP_SECONDS: int(0, 3600).default(60),
  /** Most connections kept open at once; the least recently used are closed first. */
  HOSTNET_SSH_KEEP_MAX: int(0, 100_000).default(500),
  HOSTNET_ROLLBACK_SECONDS: int(1, 3600).default(90),
  /** OVS datapath for bridges hostnet creates: `system` (kernel module) or `netdev` (userspace/DPDK). */
  HOSTNET_OVS_DATAPATH: choice(['system', 'netdev']).default('system'),

  WORKER_CONCURRENCY: int(1, 1000).default(16),
  /** When set, the worker serves Prometheus metrics (SSH connect latency) on this port (0: any free one). */
  WORKER_METRICS_PORT: int(0, 65535).optional(),
  WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /** How often BullMQ looks for jobs whose worker died; such a job is re-run (safely) elsewhere. */
  WORKER_STALLED_INTERVAL_MS: int(1000, 600_000).default(30_000),
  /**
   * Results api handles at once: recorded when taken, then each may wait on the zone re-read and a
   * reconnect job (mostly I/O, a promise each). Slots must cover results arriving during one re-read:
   * at 1,000 hosts a no-op re-run reports ~170 results/s and a re-read under that load takes ~1 s, so
   * 128 slots left results queued for up to 2.4 s (npm run bench).
   */
  RESULTS_CONCURRENCY: int(1, 4096).default(512),
  POLL_INTERVAL_MS: int(0, 86_400_000).default(30_000),
  /** Zones the poller watches (ids or names, comma separated); empty means every zone. */
  POLL_ZONES: z.string().default(''),
  /** How old a host's last completed run may get before a read-only drift check (dry-run) is due; 0 disables drift checks. */
  DRIFT_INTERVAL_MS: int(0, 7 * 86_400_000).default(900_000),
  /** Drift checks in flight at once, over every zone. */
  DRIFT_MAX_IN_FLIGHT: int(1, 1000).default(10),
  /** Drift checks one pass may start (passes run every min(DRIFT_INTERVAL_MS, 60 s)). */
  DRIFT_MAX_PER_PASS: int(1, 10_000).default(50),

  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: int(0, 65535).default(3000),
  /** Bearer token for the REST API, Bull Board and the dashboard. */
  API_TOKEN: z.string().min(16, 'use at least 16 random characters'),
  /**
   * Secret of the CloudStack webhook (X-CS-Signature); webhooks are refused when unset. At least 32
   * characters: it is all that stands between the internet and "configure this host".
   */
  WEBHOOK_SECRET: z
    .string()
    .min(32, 'is shorter than 32 characters; fix: generate one with `openssl rand -base64 32` and set the same secret key on the CloudStack webhook')
    .optional(),
  /** Webhook deliveries whose eventDateTime is further than this from now are answered 200 and ignored (replays). */
  WEBHOOK_MAX_AGE_SECONDS: int(10, 7 * 24 * 3600).default(900),
  LOG_LEVEL: choice(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** `json`: one JSON object a line (host, run and job ids as fields); `pretty`: Nest's console lines. */
  LOG_FORMAT: choice(['json', 'pretty']).optional(),
  /** Only read to pick LOG_FORMAT's default: json in production, pretty elsewhere (the demo). */
  NODE_ENV: z.string().optional(),
});

export type HostnetEnv = z.infer<typeof envSchema>;

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isHttp(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return true; // not a URL: .url() says so
  }
}

function withoutQueryOrCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.search === '' && url.hash === '' && url.username === '' && url.password === '';
  } catch {
    return true; // not a URL: .url() says so
  }
}
