import { HostnetError } from '@hostnet/contracts';
import { envSchema, type HostnetEnv } from './env.schema';
import { redisTopologyProblems } from './redis-topology.check';

/** Raised at boot when the environment is unusable; its message names every bad variable. */
export class ConfigError extends HostnetError {
  readonly permanent = true;

  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The subset of variables one app needs; the others are not required for it. */
export type ConfigKey = keyof HostnetEnv;

/**
 * Validates the environment once, before Nest boots. Only `keys` are checked (api and worker need
 * different things), so a worker does not demand API_TOKEN and vice versa. Values are never echoed.
 */
export function loadConfig<K extends ConfigKey>(
  keys: readonly K[],
  env: NodeJS.ProcessEnv = process.env,
): Pick<HostnetEnv, K> {
  const mask = Object.fromEntries(keys.map((k) => [k, true])) as Record<K, true>;
  const schema = envSchema.pick(mask as never);
  const raw = Object.fromEntries(keys.map((k) => [k, emptyToUndefined(env[k])]));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const missing = raw[name] === undefined;
        return missing
          ? `${name} is required (see README "Configuration" and .env.example)`
          : `${name} is invalid: ${issue.message}`;
      }),
    );
  }
  const problems = redisTopologyProblems(parsed.data as Partial<HostnetEnv>);
  if (problems.length > 0) throw new ConfigError(problems);
  return parsed.data as Pick<HostnetEnv, K>;
}

function emptyToUndefined(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
