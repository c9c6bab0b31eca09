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
  /** Variables in the file this app leaves to another (a .env shared by api and worker). */
  leftToOthers: string[];
}

/**
 * Reads `HOSTNET_ENV_FILE`, or `.env` in `cwd`, into `env` before config validation, the way
 * operators expect from "create .env": a variable already in the environment is never replaced, so
 * `FOO=x node main.js` and container/systemd environments keep working. A missing default `.env` is
 * fine; a missing `HOSTNET_ENV_FILE` is a config error (the operator named it on purpose). Variables
 * `notMine` names are not read at all (the worker leaves a shared file's CloudStack keys to api).
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd(), notMine: (name: string) => boolean = () => false): EnvFileResult {
  const named = env.HOSTNET_ENV_FILE?.trim();
  const path = resolve(cwd, named || '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!named && code === 'ENOENT') return { applied: [], overridden: [], leftToOthers: [] };
    throw new ConfigError([`HOSTNET_ENV_FILE: cannot read ${path} (${code ?? 'error'})`]);
  }
  const problems = misreadLines(text, path);
  if (problems.length > 0) throw new ConfigError(problems);
  const applied: string[] = [];
  const overridden: string[] = [];
  const leftToOthers: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined) continue;
    if (notMine(name)) leftToOthers.push(name);
    else if (env[name] !== undefined) overridden.push(name);
    else {
      env[name] = value;
      applied.push(name);
    }
  }
  return { path, applied, overridden, leftToOthers: leftToOthers.sort() };
}

/**
 * Lines parseEnv would silently misread, each named with the fix: a line that is no `NAME=value` (parseEnv
 * joins it to the next line's name, so that variable is lost) and a quote that is never closed (the value
 * runs to the end of the file). Values are never echoed: they may be secrets.
 */
function misreadLines(text: string, path: string): string[] {
  const lines = text.split(/\r?\n/);
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const value = /^(?:export\s+)?[^\s=#]+\s*=\s*(.*)$/.exec(line)?.[1];
    if (value === undefined) {
      problems.push(`${path} line ${i + 1}: not NAME=value; fix: write NAME=value, or start the line with # to keep it as a comment`);
      continue;
    }
    const quote = value[0];
    if (quote !== '"' && quote !== "'" && quote !== '`') continue;
    // the closing quote on this line, or on a later one (a quoted value may span lines)
    let rest = value.slice(1);
    let last = i;
    while (!rest.includes(quote) && last + 1 < lines.length) rest = lines[++last]!;
    if (!rest.includes(quote)) {
      problems.push(`${path} line ${i + 1}: the ${quote} opened in this value is never closed; fix: close it on this line`);
      break;
    }
    i = last;
  }
  return problems;
}
