import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { shellQuote } from '@hostnet/ssh';

/** What a gate does to the call it catches (see the simulator's standins/gate.sh). */
export type GateAction = 'fail' | 'hang' | 'pause' | 'drop';

/** One armed rule: the `nth` call of `tool` whose arguments match `pattern` gets `action`. */
export interface GateRule {
  tool: string;
  pattern: string;
  action: GateAction;
  nth?: number;
}

/** System commands the gates stand in front of: the on-host scripts' shell and file copies. */
const SYSTEM_GATED = ['sh', 'cp', 'mv'];
/** Stand-ins a rendered step runs (activations and sysctl); the fault matrix gates each of them. */
const STEP_TOOLS = ['ifup', 'ifdown', 'ifreload', 'service', 'systemctl', 'netplan', 'nmcli', 'sysctl'];

/**
 * Fault gates on one simulated host: wrappers in its .sim/bin in front of `sh`, `cp`, `mv` and its
 * activation tools, which log every call and act on rules written to .sim/gates. They let a fault
 * land at an exact phase of a run (the facts script starting, the second backup copy, a step…).
 */
export class HostGates {
  private rules = 0;

  private constructor(private readonly rootDir: string) {}

  static async install(rootDir: string): Promise<HostGates> {
    const sim = join(rootDir, '.sim');
    const template = readFileSync(join(sim, 'lib', 'gate.sh'), 'utf8');
    mkdirSync(join(sim, 'gated'), { recursive: true });
    mkdirSync(join(sim, 'gates'), { recursive: true });
    const own = readFileSync(join(sim, 'tools'), 'utf8').split('\n').filter((t) => STEP_TOOLS.includes(t));
    const tools = [...SYSTEM_GATED.map((tool) => ({ tool, real: systemCommand(tool) })), ...own.map((tool) => ({ tool, real: join(sim, 'gated', tool) }))];
    for (const { tool, real } of tools) {
      const bin = join(sim, 'bin', tool);
      if (!SYSTEM_GATED.includes(tool)) renameSync(bin, real);
      writeFileSync(bin, template.replaceAll('@TOOL@', tool).replaceAll('@REAL@', shellQuote(real)).replaceAll('@NODE@', shellQuote(process.execPath)));
      await chmod(bin, 0o755);
    }
    return new HostGates(rootDir);
  }

  /** Arms a rule; returns its id (for hit() and release()). */
  arm(rule: GateRule): string {
    const id = `r${++this.rules}`;
    const text = `${rule.tool}\n${rule.action}\n${rule.nth ?? 1}\n${rule.pattern}\n`;
    writeFileSync(join(this.dir, `${id}.tmp`), text);
    renameSync(join(this.dir, `${id}.tmp`), join(this.dir, `${id}.rule`));
    return id;
  }

  /** Whether the rule has caught its call. */
  hit(id: string): boolean {
    return existsSync(join(this.dir, `${id}.hit`));
  }

  /** Lets a paused call go on. */
  release(id: string): void {
    writeFileSync(join(this.dir, `${id}.release`), '');
  }

  /** Every gated call so far, oldest first: `<tool> <arguments>` (for `sh -c`, the script's name). */
  calls(): string[] {
    const log = join(this.dir, 'calls.log');
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  }

  private get dir(): string {
    return join(this.rootDir, '.sim', 'gates');
  }
}

/** The activation calls a clean run made between its apply script and its verify script: its steps. */
export function stepCalls(calls: string[]): string[] {
  const start = calls.indexOf('sh hostnet-apply');
  const end = calls.indexOf('sh hostnet-verify');
  if (start < 0 || end < start) return [];
  return calls.slice(start + 1, end).filter((c) => STEP_TOOLS.includes(c.split(' ')[0] ?? ''));
}

/** An extended regex matching exactly `text`. */
export function exactly(text: string): string {
  return `^${text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&')}$`;
}

function systemCommand(tool: string): string {
  const found = ['/usr/bin', '/bin'].map((dir) => join(dir, tool)).find((path) => existsSync(path));
  if (!found) throw new Error(`${tool} is not installed in /usr/bin or /bin: the fault gates need it`);
  return found;
}
