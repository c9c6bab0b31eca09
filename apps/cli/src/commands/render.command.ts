import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CloudStackError, type ZoneNetworkTopology } from '@hostnet/cloudstack';
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
  NETWORKD_VETH_DROPIN,
  renderHost,
  renderTargetsOf,
  RENDER_TARGETS,
  RenderError,
  selectTarget,
  type RenderedConfig,
  type RenderOptions,
  type RenderTargetId,
  UnsupportedBackendError,
} from '@hostnet/render';
import { CliUsageError, type CliCommand } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { fetchZoneTopology } from '../zone-topology.fetch';

/** Parsed `hostnet render` flags. */
export interface RenderCommandArgs {
  intentFile?: string;
  topologyFile?: string;
  zone?: string;
  /** One or more host names/ids (`--host a,b,c`); every KVM host of the topology with `--all`. */
  hosts: string[];
  allHosts: boolean;
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
export const RENDER_USAGE = `hostnet render (--topology FILE.json | --zone ID|NAME) (--host H[,H2,...] | --all) [--profile FILE.yaml] (--os ID:VERSION | --target T) [--backend linux|ovs] [--root-dir DIR] [--ovs-datapath system|netdev] [--ifupdown2]
   or: hostnet render --intent FILE.json (--os ID:VERSION | --target T) [--root-dir DIR] ...   (FILE.json: a HostNetworkIntent, libs/intent/src/domain/host-network-intent.ts)
Several hosts render in one process and need --root-dir: each host's files go under DIR/<host name>/.
--root-dir also writes the steps the files need (live and activation) to <root>/.hostnet/steps and deletes there what the target removes.
--profile defaults to $HOSTNET_PROFILES; --zone reads CLOUDSTACK_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY.
targets: ${RENDER_TARGETS.join(', ')}
--os assumes: ${ASSUMED_OS_TOOLS.join('; ')}`;

const VALUE_FLAGS = ['intent', 'topology', 'zone', 'host', 'profile', 'os', 'target', 'backend', 'root-dir', 'ovs-datapath'] as const;
const SWITCHES = ['ifupdown2', 'all'] as const;

/** Parses argv (after `render`); throws CliUsageError naming the bad flag or the missing choice. */
export function parseRenderArgs(argv: string[]): RenderCommandArgs {
  const raw = parseFlags(argv, VALUE_FLAGS, SWITCHES);
  const { target, backend, 'ovs-datapath': datapath } = raw;
  if (target !== undefined && !isRenderTargetId(target)) throw new CliUsageError(`--target must be one of ${RENDER_TARGETS.join(', ')}`);
  if (backend !== undefined && backend !== 'linux' && backend !== 'ovs') throw new CliUsageError('--backend must be linux or ovs');
  if (datapath !== undefined && datapath !== 'system' && datapath !== 'netdev') throw new CliUsageError('--ovs-datapath must be system or netdev');
  const args: RenderCommandArgs = {
    intentFile: raw.intent,
    topologyFile: raw.topology,
    zone: raw.zone,
    hosts: raw.host === undefined ? [] : raw.host.split(',').map((h) => h.trim()).filter(Boolean),
    allHosts: raw['all'] === 'true',
    profileFile: raw.profile,
    os: raw.os,
    target: target as RenderTargetId | undefined,
    backend: backend as BridgeBackend | undefined,
    rootDir: raw['root-dir'],
    options: { ...(raw.ifupdown2 ? { ifupdown2: true } : {}), ...(datapath ? { ovsDatapathType: datapath } : {}) },
  };

  const sources = [args.intentFile && '--intent', args.topologyFile && '--topology', args.zone && '--zone'].filter(Boolean);
  if (sources.length !== 1) throw new CliUsageError(sources.length === 0 ? 'give --topology FILE.json, --zone ID|NAME or --intent FILE.json' : `${sources.join(' and ')} exclude each other`);
  const picksHosts = args.hosts.length > 0 || args.allHosts;
  if (args.intentFile && (picksHosts || args.profileFile)) throw new CliUsageError('--host, --all and --profile build an intent; they do not go with --intent');
  if (!args.intentFile && !picksHosts) throw new CliUsageError('--host NAME|ID (or --all) is required with --topology/--zone');
  if (args.hosts.length > 0 && args.allHosts) throw new CliUsageError('--host and --all exclude each other');
  if ((args.allHosts || args.hosts.length > 1) && !args.rootDir) throw new CliUsageError('several hosts need --root-dir DIR (each host is written under DIR/<host name>/)');
  if ((args.target === undefined) === (args.os === undefined)) throw new CliUsageError('give exactly one of --os ID:VERSION (e.g. centos:7, ubuntu:22.04) or --target T');
  // a malformed --os is bad usage (2), before any input is read; an OS it cannot render stays an input error (1)
  if (args.os !== undefined) {
    try {
      assumedOsFacts(args.os);
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
  }
  return args;
}

/** The intents to render: from --intent JSON, or built from one topology (file or CloudStack) + profiles, per host. */
export async function loadIntents(args: RenderCommandArgs, deps: Required<RenderCommandDeps>): Promise<HostNetworkIntent[]> {
  if (args.intentFile) {
    const text = await readFile(args.intentFile, 'utf8');
    let intent: HostNetworkIntent;
    try {
      intent = JSON.parse(text) as HostNetworkIntent;
    } catch (e) {
      throw new CliUsageError(`--intent ${args.intentFile}: not valid JSON (${(e as Error).message})`);
    }
    if (args.backend !== undefined && intent.backend !== args.backend) {
      throw new RenderError(`--backend ${args.backend}: the intent in ${args.intentFile} was built for backend ${intent.backend}; rebuild it from the topology and profile with --backend, or drop --backend`);
    }
    return [intent];
  }
  const profileFile = args.profileFile ?? nonEmpty(deps.env.HOSTNET_PROFILES);
  if (!profileFile) throw new CliUsageError('--profile FILE.yaml is required (or set HOSTNET_PROFILES)');
  const profileSet = await loadProfileSetFile(profileFile);
  const topology = args.topologyFile ? await loadTopologyFile(args.topologyFile) : await deps.fetchTopology(args.zone as string, deps.env);
  const hosts = args.allHosts ? topology.hosts.map((h) => h.id) : args.hosts;
  return hosts.map((hostId) => {
    const result = tryBuildHostIntent({ topology, hostId, profileSet, backend: args.backend });
    if (result.ok) return result.intent;
    const [only, ...more] = result.violations;
    // A mistyped --host is the operator's flag, not a broken intent: named as the flag, with the hosts there are.
    if (only?.field === 'hostId' && more.length === 0) throw new RenderError(`--host ${only.message.replace(/^hostId: /, '')}`);
    throw new IntentValidationError(result.violations);
  });
}

/** The target: --target as given, or selected for --os from the facts that OS is assumed to have. */
export function resolveTarget(args: RenderCommandArgs, backend: BridgeBackend): RenderTargetId {
  return args.target ?? selectTarget(assumedOsFacts(args.os as string), backend);
}

/** Prints every file with its path and mode, then removes and steps (argv shown as JSON, never as shell). */
export function formatConfig(config: RenderedConfig): string {
  const files = config.files.map((f) => `### ${f.path} (mode 0${f.mode.toString(8)})\n${f.content}`);
  const removes = config.removes.map((p) => `### remove ${p} (${removalReason(config, p)})\n`);
  return `${[...files, ...removes].join('\n')}\n### steps\n${formatSteps(config)}`;
}

/** Why a render removes a path, for the operator reading it (an apply deletes it only if it is there). */
function removalReason(config: RenderedConfig, path: string): string {
  const foreign = config.neutralised?.find((n) => n.path === path);
  if (foreign) return `another owner's config naming ${foreign.interfaces.join(', ')}, which hostnet manages`;
  if (path === NETWORKD_VETH_DROPIN) return "hostnet's relabel drop-in, not needed by this layout";
  return "hostnet's own file, not used by this layout";
}

/** Writes the files under rootDir with their modes (rendered paths are absolute and built from validated names). */
export async function writeConfig(config: RenderedConfig, rootDir: string): Promise<string[]> {
  const root = resolve(rootDir);
  if (root === '/') throw new RenderError('--root-dir / would write over this machine\'s own network configuration; fix: give a directory to hold the rendered tree, e.g. --root-dir ./out');
  const paths = config.files.map((file) => {
    const path = join(root, file.path);
    if (!path.startsWith(`${root}/`)) throw new RenderError(`refusing to write outside --root-dir: ${file.path}`);
    return path;
  });
  for (const dir of new Set(paths.map((p) => dirname(p)))) await mkdir(dir, { recursive: true });
  await Promise.all(
    config.files.map(async (file, i) => {
      await writeFile(paths[i]!, file.content, { mode: file.mode });
      await chmod(paths[i]!, file.mode); // writeFile's mode is masked by the umask and ignored for existing files
    }),
  );
  return paths;
}

/** Hosts whose trees are written at once: the file system, not rendering, bounds `render --all --root-dir`. */
const HOSTS_WRITTEN_AT_ONCE = 16;

/** Runs `work` over `items`, at most `limit` at a time; results in item order. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit) out.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return out;
}

/** Deletes under rootDir what the target removes, so the tree is what an apply would leave; returns what existed. */
async function removeUnder(config: RenderedConfig, rootDir: string): Promise<string[]> {
  const root = resolve(rootDir);
  const removed: string[] = [];
  for (const file of config.removes) {
    const path = join(root, file);
    if (!path.startsWith(`${root}/`)) throw new RenderError(`refusing to remove outside --root-dir: ${file}`);
    try {
      await rm(path);
      removed.push(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return removed;
}

/**
 * renderHost, its refusal of a target naming the host (several may render at once) and, for a target of the
 * other backend, the flags that fix it here.
 */
function renderFor(intent: HostNetworkIntent, target: RenderTargetId, options: RenderOptions): RenderedConfig {
  try {
    return renderHost(intent, target, options);
  } catch (error) {
    if (!(error instanceof UnsupportedBackendError)) throw error;
    const same = target.replace(/-(linux|ovs)$/, `-${intent.backend}`);
    const other = intent.backend === 'ovs' ? 'linux' : 'ovs';
    const flags = renderTargetsOf(intent.backend).includes(target) ? '' : ` (here: ${isRenderTargetId(same) ? `--target ${same}` : '--os ID:VERSION'}, or --backend ${other})`;
    throw new RenderError(`host ${intent.hostname} (${intent.hostId}): ${error.message}${flags}`);
  }
}

/** Input problems reported as one message (exit 1): bad profile/topology/intent, render refusal, CloudStack failure. */
function isInputError(e: unknown): e is Error {
  return (
    e instanceof RenderError ||
    e instanceof IntentValidationError ||
    e instanceof ProfileLoadError ||
    e instanceof TopologyLoadError ||
    e instanceof CloudStackError ||
    ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EROFS', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')
  );
}

/** The steps a rendered config needs, one per line: phase, name, argv as JSON (never a shell line). */
export function formatSteps(config: RenderedConfig): string {
  return config.steps.map((s) => `${s.phase}\t${s.name}\t${JSON.stringify(s.argv)}\n`).join('');
}

/** Writes the steps beside the files, so a --root-dir render loses nothing of what an apply would run. */
async function writeSteps(config: RenderedConfig, rootDir: string): Promise<string> {
  const path = join(resolve(rootDir), '.hostnet', 'steps');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, formatSteps(config));
  return path;
}

/** `hostnet render …`: renders hosts offline, all in this process; exit 0 on success, 2 on usage errors, 1 on input/render errors. */
export async function runRenderCommand(argv: string[], io: CommandIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }, deps: RenderCommandDeps = {}): Promise<number> {
  const full = { env: deps.env ?? process.env, fetchTopology: deps.fetchTopology ?? fetchZoneTopology };
  try {
    const args = parseRenderArgs(argv);
    const intents = await loadIntents(args, full);
    const several = args.allHosts || intents.length > 1;
    if (several && args.rootDir) refuseSharedDirectories(intents);
    // Every host renders before anything is written: a refusal leaves no tree half-written.
    const rendered = intents.map((intent) => {
      const target = resolveTarget(args, intent.backend);
      return { intent, target, config: renderFor(intent, target, args.options) };
    });
    const rootDir = args.rootDir;
    if (!rootDir) {
      for (const { intent, target, config } of rendered) {
        io.err(`hostnet render: host ${intent.hostname} (${intent.hostId}), backend ${intent.backend}, target ${target}\n`);
        io.out(formatConfig(config));
      }
      return 0;
    }
    for (const { intent } of rendered) {
      if (several && !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(intent.hostname)) throw new RenderError(`host ${intent.hostId}: hostname ${JSON.stringify(intent.hostname)} cannot name a directory under --root-dir`);
    }
    const reports = await inBatches(rendered, HOSTS_WRITTEN_AT_ONCE, async ({ intent, config }) => {
      const root = several ? join(rootDir, intent.hostname) : rootDir;
      const written = [...(await writeConfig(config, root)), await writeSteps(config, root)];
      const removed = await removeUnder(config, root);
      return `${[...written.map((p) => `wrote ${p}`), ...removed.map((p) => `removed ${p}`)].join('\n')}\n`;
    });
    rendered.forEach(({ intent, target }, i) => {
      io.err(`hostnet render: host ${intent.hostname} (${intent.hostId}), backend ${intent.backend}, target ${target}\n`);
      io.out(reports[i]!);
    });
    return 0;
  } catch (e) {
    if (e instanceof CliUsageError) {
      // the first usage line only: the seven of --help would bury the one-line error
      io.err(`hostnet render: ${e.message}\nusage: ${RENDER_USAGE.split('\n')[0]}\n(hostnet render --help for the rest)\n`);
      return 2;
    }
    if (isInputError(e)) {
      io.err(`hostnet render: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/** Two hosts with one name would write into the same DIR/<host name>/, the second silently over the first. */
function refuseSharedDirectories(intents: HostNetworkIntent[]): void {
  const byName = new Map<string, string>();
  for (const intent of intents) {
    const other = byName.get(intent.hostname);
    if (other !== undefined && other !== intent.hostId) {
      throw new RenderError(
        `hosts ${other} and ${intent.hostId} are both named ${JSON.stringify(intent.hostname)}: their files would share --root-dir DIR/${intent.hostname}/; ` +
          'rename one in CloudStack, or render each alone with --host <id> and its own --root-dir',
      );
    }
    byName.set(intent.hostname, intent.hostId);
  }
}

/** The `render` entry of the CLI's command table. */
export function renderCommand(deps: RenderCommandDeps = {}): CliCommand {
  return (argv, io) => runRenderCommand(argv, { out: io.stdout, err: io.stderr }, deps);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
