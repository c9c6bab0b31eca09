import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './load-config';

/** What loadEnvFile did, for one boot line (names only: values may be secrets). */
export interface EnvFileResult {
  /** The file read, or undefined when there was none to read. */
  path?: string;
  /** Variables taken from the file. */
  applied: string[];
  /** Variables in the file that the real environment already set (the environment wins). */
  overridden: string[];
}

/**
 * Reads `HOSTNET_ENV_FILE`, or `.env` in `cwd`, into `env` before config validation, the way
 * operators expect from "create .env": a variable already in the environment is never replaced, so
 * `FOO=x node main.js` and container/systemd environments keep working. A missing default `.env` is
 * fine; a missing `HOSTNET_ENV_FILE` is a config error (the operator named it on purpose).
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): EnvFileResult {
  const named = env.HOSTNET_ENV_FILE?.trim();
  const path = resolve(cwd, named || '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!named && code === 'ENOENT') return { applied: [], overridden: [] };
    throw new ConfigError([`HOSTNET_ENV_FILE: cannot read ${path} (${code ?? 'error'})`]);
  }
  const applied: string[] = [];
  const overridden: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (env[name] !== undefined) overridden.push(name);
    else {
      env[name] = value;
      applied.push(name);
    }
  }
  return { path, applied, overridden };
}
