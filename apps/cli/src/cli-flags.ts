import { CliUsageError } from './cli-command';

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
      throw new CliUsageError(`unknown option --${name} (allowed: ${[...allowed, ...switches].map((a) => `--${a}`).join(', ')})`);
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
