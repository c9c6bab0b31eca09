import { editDistance } from '@hostnet/contracts';
import { CliUsageError } from './cli-command';

/** Flags an operator may reach for that would carry a secret, and where hostnet reads it instead. */
const SECRET_FLAGS: Readonly<Record<string, string>> = {
  token: 'API_TOKEN',
  'api-token': 'API_TOKEN',
  'secret-key': 'CLOUDSTACK_SECRET_KEY',
  secretkey: 'CLOUDSTACK_SECRET_KEY',
  password: 'HOSTNET_HOST_PASSWORD',
  'host-password': 'HOSTNET_HOST_PASSWORD',
};

/**
 * Parses `--name value` / `--name=value` flags, allowing only the names given; `switches` take no
 * value and read as 'true'. Positional arguments are refused: every input of hostnet commands is named.
 */
export function parseFlags(argv: string[], allowed: readonly string[], switches: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const m = /^--([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new CliUsageError(`unexpected argument ${JSON.stringify(arg)}`);
    const name = m[1] as string;
    if (!allowed.includes(name) && !switches.includes(name)) {
      const secret = SECRET_FLAGS[name];
      if (secret) throw new CliUsageError(`--${name} is not a flag: export ${secret} instead (a flag lands in shell history and in ps)`);
      const known = [...allowed, ...switches];
      const near = closest(name, known);
      throw new CliUsageError(`unknown option --${name}${near ? `; did you mean --${near}?` : ''} (allowed: ${known.map((a) => `--${a}`).join(', ')})`);
    }
    if (out[name] !== undefined) throw new CliUsageError(`--${name} given twice`);
    if (switches.includes(name)) {
      if (m[2] !== undefined) throw new CliUsageError(`--${name} takes no value`);
      out[name] = 'true';
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    out[name] = value;
  }
  return out;
}

/** The known option a mistyped one most likely meant: within two edits, or one it starts or ends (`--hosts` for `--host`). */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { option: string; distance: number } | undefined;
  for (const option of known) {
    const distance = name.startsWith(option) || option.startsWith(name) ? 1 : editDistance(name, option);
    if (distance <= 2 && (!best || distance < best.distance)) best = { option, distance };
  }
  return best?.option;
}
