import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CloudStackClient, CloudStackError, ZoneTopologyService, type ZoneNetworkTopology } from '@hostnet/cloudstack';
import {
  IntentValidationError,
  ProfileLoadError,
  TopologyLoadError,
  loadProfileSetFile,
  loadTopologyFile,
  tryBuildHostIntent,
  type BridgeBackend,
  type HostNetworkIntent,
} from '@hostnet/intent';
import {
  ASSUMED_OS_TOOLS,
  assumedOsFacts,
  isRenderTargetId,
  renderHost,
  RENDER_TARGETS,
  RenderError,
  selectTarget,
  type RenderedConfig,
  type RenderOptions,
  type RenderTargetId,
} from '@hostnet/render';
import type { CliCommand } from '../cli-command';
import { readCloudStackEnv } from '../cloudstack-env';

/** Parsed `hostnet render` flags. */
export interface RenderCommandArgs {
  intentFile?: string;
  topologyFile?: string;
  zone?: string;
  host?: string;
  profileFile?: string;
  os?: string;
  target?: RenderTargetId;
  backend?: BridgeBackend;
  rootDir?: string;
  options: RenderOptions;
}

/** Where output goes; injectable so tests capture it. */
export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Outside inputs: the environment (HOSTNET_PROFILES, CLOUDSTACK_*) and how a zone's topology is fetched. */
export interface RenderCommandDeps {
  env?: NodeJS.ProcessEnv;
  fetchTopology?: (zone: string, env: NodeJS.ProcessEnv) => Promise<ZoneNetworkTopology>;
}

/** Usage of `hostnet render` (main.ts prints it on usage errors too). */
export const RENDER_USAGE = `hostnet render (--topology FILE.json | --zone ID|NAME) --host H [--profile FILE.yaml] (--os ID:VERSION | --target T) [--backend linux|ovs] [--root-dir DIR] [--ovs-datapath system|netdev] [--ifupdown2]
   or: hostnet render --intent FILE.json (--os ID:VERSION | --target T) [--root-dir DIR] ...
--profile defaults to $HOSTNET_PROFILES; --zone reads CLOUDSTACK_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY.
targets: ${RENDER_TARGETS.join(', ')}
--os assumes: ${ASSUMED_OS_TOOLS.join('; ')}`;

class UsageError extends Error {}

/** Flags that take a value → where it goes (`ovs-datapath` into options). */
const VALUE_FLAGS: Record<string, string> = {
  '--intent': 'intentFile',
  '--topology': 'topologyFile',
  '--zone': 'zone',
  '--host': 'host',
  '--profile': 'profileFile',
  '--os': 'os',
  '--target': 'target',
  '--backend': 'backend',
  '--root-dir': 'rootDir',
  '--ovs-datapath': 'ovs-datapath',
};

/** Parses argv (after `render`); throws UsageError naming the bad flag or the missing choice. */
export function parseRenderArgs(argv: string[]): RenderCommandArgs {
  const args: RenderCommandArgs = { options: {} };
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--ifupdown2' && inline === undefined) {
      args.options.ifupdown2 = true;
      continue;
    }
    const key = VALUE_FLAGS[flag];
    if (!key) throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    if (raw[key] !== undefined) throw new UsageError(`${flag} given twice`);
    raw[key] = value;
  }
  const { target, backend, 'ovs-datapath': datapath, ...rest } = raw;
  Object.assign(args, rest);
  if (target !== undefined && !isRenderTargetId(target)) throw new UsageError(`--target must be one of ${RENDER_TARGETS.join(', ')}`);
  if (backend !== undefined && backend !== 'linux' && backend !== 'ovs') throw new UsageError('--backend must be linux or ovs');
  if (datapath !== undefined && datapath !== 'system' && datapath !== 'netdev') throw new UsageError('--ovs-datapath must be system or netdev');
  if (datapath !== undefined) args.options.ovsDatapathType = datapath;
  args.target = target as RenderTargetId | undefined;
  args.backend = backend as BridgeBackend | undefined;

  const sources = [args.intentFile && '--intent', args.topologyFile && '--topology', args.zone && '--zone'].filter(Boolean);
  if (sources.length !== 1) throw new UsageError(sources.length === 0 ? 'give --topology FILE.json, --zone ID|NAME or --intent FILE.json' : `${sources.join(' and ')} exclude each other`);
  if (args.intentFile && (args.host || args.profileFile)) throw new UsageError('--host and --profile build an intent; they do not go with --intent');
  if (!args.intentFile && !args.host) throw new UsageError('--host NAME|ID is required with --topology/--zone');
  if ((args.target === undefined) === (args.os === undefined)) throw new UsageError('give exactly one of --os ID:VERSION (e.g. centos:7, ubuntu:22.04) or --target T');
  return args;
}

/** The intent to render: from --intent JSON, or built from a topology (file or CloudStack) + the host's profile. */
export async function loadIntent(args: RenderCommandArgs, deps: Required<RenderCommandDeps>): Promise<HostNetworkIntent> {
  if (args.intentFile) {
    const text = await readFile(args.intentFile, 'utf8');
    let intent: HostNetworkIntent;
    try {
      intent = JSON.parse(text) as HostNetworkIntent;
    } catch (e) {
      throw new UsageError(`--intent ${args.intentFile}: not valid JSON (${(e as Error).message})`);
    }
    if (args.backend !== undefined && intent.backend !== args.backend) {
      throw new RenderError(`--backend ${args.backend}: the intent in ${args.intentFile} was built for backend ${intent.backend}; rebuild it from the topology and profile with --backend, or drop --backend`);
    }
    return intent;
  }
  const profileFile = args.profileFile ?? nonEmpty(deps.env.HOSTNET_PROFILES);
  if (!profileFile) throw new UsageError('--profile FILE.yaml is required (or set HOSTNET_PROFILES)');
  const profileSet = await loadProfileSetFile(profileFile);
  const topology = args.topologyFile ? await loadTopologyFile(args.topologyFile) : await deps.fetchTopology(args.zone as string, deps.env);
  const result = tryBuildHostIntent({ topology, hostId: args.host as string, profileSet, backend: args.backend });
  if (!result.ok) throw new IntentValidationError(result.violations);
  return result.intent;
}

/** The target: --target as given, or selected for --os from the facts that OS is assumed to have. */
export function resolveTarget(args: RenderCommandArgs, backend: BridgeBackend): RenderTargetId {
  return args.target ?? selectTarget(assumedOsFacts(args.os as string), backend);
}

/** The default --zone source: CloudStack's API via the signed client, credentials from the environment only. */
async function fetchZoneTopology(zone: string, env: NodeJS.ProcessEnv): Promise<ZoneNetworkTopology> {
  const cs = readCloudStackEnv(env);
  const missing = [!cs.url && 'CLOUDSTACK_URL', !cs.apiKey && 'CLOUDSTACK_API_KEY', !cs.secretKey && 'CLOUDSTACK_SECRET_KEY'].filter(Boolean);
  if (missing.length > 0) throw new UsageError(`--zone needs ${missing.join(', ')} in the environment`);
  const client = new CloudStackClient({ url: cs.url as string, apiKey: cs.apiKey as string, secretKey: cs.secretKey as string });
  return new ZoneTopologyService(client).getTopology(zone, { requireKvmHosts: true });
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

/** Input problems reported as one message (exit 1): bad profile/topology/intent, render refusal, CloudStack failure. */
function isInputError(e: unknown): e is Error {
  return (
    e instanceof RenderError ||
    e instanceof IntentValidationError ||
    e instanceof ProfileLoadError ||
    e instanceof TopologyLoadError ||
    e instanceof CloudStackError ||
    ['ENOENT', 'EACCES', 'EISDIR'].includes((e as NodeJS.ErrnoException).code ?? '')
  );
}

/** `hostnet render …`: renders one host offline; exit 0 on success, 2 on usage errors, 1 on input/render errors. */
export async function runRenderCommand(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, deps: RenderCommandDeps = {}): Promise<number> {
  const full = { env: deps.env ?? process.env, fetchTopology: deps.fetchTopology ?? fetchZoneTopology };
  try {
    const args = parseRenderArgs(argv);
    const intent = await loadIntent(args, full);
    const target = resolveTarget(args, intent.backend);
    const config = renderHost(intent, target, args.options);
    io.err(`hostnet render: host ${intent.hostname} (${intent.hostId}), backend ${intent.backend}, target ${target}\n`);
    if (args.rootDir) {
      const written = await writeConfig(config, args.rootDir);
      io.out(`${written.map((p) => `wrote ${p}`).join('\n')}\n`);
    } else {
      io.out(formatConfig(config));
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`hostnet render: ${e.message}\nusage: ${RENDER_USAGE}\n`);
      return 2;
    }
    if (isInputError(e)) {
      io.err(`hostnet render: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** The `render` entry of the CLI's command table. */
export function renderCommand(deps: RenderCommandDeps = {}): CliCommand {
  return (argv, io) => runRenderCommand(argv, { out: io.stdout, err: io.stderr }, deps);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
