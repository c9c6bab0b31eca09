import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { isRenderTargetId, renderHost, RENDER_TARGETS, RenderError, type RenderedConfig, type RenderOptions } from '@hostnet/render';

/** Parsed `hostnet render` flags. */
export interface RenderCommandArgs {
  intentFile?: string;
  target: string;
  rootDir?: string;
  options: RenderOptions;
}

/** Where output goes; injectable so tests capture it. */
export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = `usage: hostnet render --intent FILE.json --target T [--root-dir DIR] [--ovs-datapath system|netdev] [--ifupdown2]
targets: ${RENDER_TARGETS.join(', ')}`;

class UsageError extends Error {}

/** Parses argv (after `render`); throws UsageError naming the bad flag. */
export function parseRenderArgs(argv: string[]): RenderCommandArgs {
  const args: RenderCommandArgs = { target: '', options: {} };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--intent') args.intentFile = value();
    else if (flag === '--target') args.target = value();
    else if (flag === '--root-dir') args.rootDir = value();
    else if (flag === '--ifupdown2') args.options.ifupdown2 = true;
    else if (flag === '--ovs-datapath') {
      const v = value();
      if (v !== 'system' && v !== 'netdev') throw new UsageError('--ovs-datapath must be system or netdev');
      args.options.ovsDatapathType = v;
    } else throw new UsageError(`unknown flag ${flag}`);
  }
  if (!isRenderTargetId(args.target)) throw new UsageError(`--target must be one of ${RENDER_TARGETS.join(', ')}`);
  return args;
}

/**
 * Where the intent comes from. Today: a JSON file (--intent). The intent builder's sources
 * (--topology/--zone/--host/--profile) plug in here without touching the rest of the command.
 */
export async function loadIntent(args: RenderCommandArgs): Promise<HostNetworkIntent> {
  if (!args.intentFile) throw new UsageError('--intent FILE.json is required');
  const text = await readFile(args.intentFile, 'utf8');
  try {
    return JSON.parse(text) as HostNetworkIntent;
  } catch (e) {
    throw new UsageError(`--intent ${args.intentFile}: not valid JSON (${(e as Error).message})`);
  }
}

/** Prints every file with its path and mode, then removes and steps (argv shown as JSON, never as shell). */
export function formatConfig(config: RenderedConfig): string {
  const files = config.files.map((f) => `### ${f.path} (mode 0${f.mode.toString(8)})\n${f.content}`);
  const removes = config.removes.map((p) => `### remove ${p}\n`);
  const steps = config.steps.map((s) => `${s.phase}\t${s.name}\t${JSON.stringify(s.argv)}`);
  return `${[...files, ...removes].join('\n')}\n### steps\n${steps.join('\n')}\n`;
}

/** Writes the files under rootDir with their modes (rendered paths are absolute and built from validated names). */
export async function writeConfig(config: RenderedConfig, rootDir: string): Promise<string[]> {
  const root = resolve(rootDir);
  const written: string[] = [];
  for (const file of config.files) {
    const path = join(root, file.path);
    if (!path.startsWith(`${root}/`)) throw new RenderError(`refusing to write outside --root-dir: ${file.path}`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, file.content, { mode: file.mode });
    await chmod(path, file.mode); // writeFile's mode is masked by the umask and ignored for existing files
    written.push(path);
  }
  return written;
}

/** `hostnet render …`: renders one host offline; exit 0 on success, 2 on usage errors, 1 on render errors. */
export async function runRenderCommand(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  try {
    const args = parseRenderArgs(argv);
    const config = renderHost(await loadIntent(args), args.target as RenderedConfig['target'], args.options);
    if (args.rootDir) {
      const written = await writeConfig(config, args.rootDir);
      io.out(`${written.map((p) => `wrote ${p}`).join('\n')}\n`);
    } else {
      io.out(formatConfig(config));
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`hostnet render: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof RenderError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`hostnet render: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}
