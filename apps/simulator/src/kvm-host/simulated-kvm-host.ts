import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import { generateEd25519KeyPair } from '@hostnet/ssh';
import { utils } from 'ssh2';
import { KvmHostFaults } from './kvm-host-faults';
import { initialLiveState, personaSeed, type KvmHostPersona, type ManagementAddressing } from './kvm-host-personas';
import { killHostProcesses } from './kvm-host-process-reaper';
import { KvmHostSshServer, parseAuthorizedKeys, type KvmHostSshStats } from './kvm-host-ssh.server';
import { ExecSpawner } from './kvm-host-exec-spawner';
import { StandinServer } from './kvm-host-standin.server';
import { installStandins, STANDINS_DIR } from './kvm-host-standins';
import { systemPathDir } from './kvm-host-system-path';

/** How to start a simulated KVM host. */
/** What one applyLatencyMs is the time of (see SimulatedKvmHostOptions.latencyPer). */
export type LatencyPer = 'activation' | 'apply';

export interface SimulatedKvmHostOptions {
  /** Hostname (written to etc/hostname). */
  name: string;
  persona: KvmHostPersona;
  /** NIC names; default eth0..eth3. The first one carries the management address. */
  nics?: string[];
  /** Root directory of the host's files; default a fresh temp dir (removed by stop()). */
  rootDir?: string;
  /** Public keys (OpenSSH lines) allowed to log in. */
  authorizedKeys: string[];
  /** Host private key (PEM or OpenSSH format); default a generated ed25519 key. */
  hostKey?: string;
  /** TCP port; default 0 (ephemeral). */
  port?: number;
  /** Listen address; default 127.0.0.1. */
  host?: string;
  /** How long each activation (ifup, netplan apply, …) takes, in ms. */
  applyLatencyMs?: number;
  /**
   * `activation` (default): every activation takes applyLatencyMs, as each ifup does on a real host, so a
   * run's activation time depends on its persona (11 ifups on centos7, one netplan apply on Ubuntu).
   * `apply`: a run's activations take applyLatencyMs together, all of it in the one that applies a new
   * expected state: the host model of a bench whose goal is stated per host apply.
   */
  latencyPer?: LatencyPer;
  /** Management address on the first NIC; default 192.168.100.10/24 via 192.168.100.1 (never connected to). */
  management?: { address: string; prefix: number; gateway: string };
  /** Extra stand-in tools beyond the persona's, e.g. ['ovs-vsctl', 'ovs-appctl'] or ['ifreload']. */
  extraTools?: string[];
  /**
   * `scripts` (default): every exec runs in a real shell. `lean`: the worker's facts, apply, verify and
   * confirm scripts are answered in this process (lean/lean-host-model.ts), the bench's host model.
   */
  hostModel?: HostModel;
}

/** How a simulated host runs the worker's on-host scripts (SimulatedKvmHostOptions.hostModel). */
export type HostModel = 'scripts' | 'lean';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const NIC = /^[a-z][a-z0-9_.-]{0,14}$/;

/**
 * A KVM host behind real SSH: a per-host root directory seeded for an OS persona, commands run by a real
 * /bin/sh with stand-ins for the network tools, live network state in .sim/live-state.json, and faults.
 */
export class SimulatedKvmHost {
  private stopped = false;

  private constructor(
    readonly name: string,
    readonly persona: KvmHostPersona,
    readonly rootDir: string,
    /** Where to connect: loopback address and the bound port. */
    readonly endpoint: { host: string; port: number },
    private readonly server: KvmHostSshServer,
    private readonly hostId: string,
    private readonly ownsRoot: boolean,
    private hostKeyBlob: Buffer,
    /** Runtime-programmable faults (also in <rootDir>/.sim/faults.json). */
    readonly faults: KvmHostFaults,
    private readonly standins: { port: number; token: string },
  ) {}

  /** Seeds the root directory, installs the stand-ins and starts the SSH server. */
  static async start(options: SimulatedKvmHostOptions): Promise<SimulatedKvmHost> {
    if (!NAME.test(options.name)) throw new Error(`SimulatedKvmHost name "${options.name}" must be a hostname label (letters, digits, '-')`);
    const nics = options.nics ?? ['eth0', 'eth1', 'eth2', 'eth3'];
    const badNic = nics.find((n) => !NIC.test(n));
    if (nics.length === 0 || badNic !== undefined) throw new Error(`SimulatedKvmHost nics must be 1+ interface names (≤ 15 chars), got "${badNic ?? ''}"`);
    const authorizedKeys = parseAuthorizedKeys(options.authorizedKeys);
    const hostKey = options.hostKey ?? generateHostKey();
    const hostKeyBlob = publicBlob(hostKey, 'hostKey');

    const ownsRoot = options.rootDir === undefined;
    const rootDir = options.rootDir ?? (await mkdtemp(join(tmpdir(), `hostnet-kvm-${options.name}-`)));
    const mgmt: ManagementAddressing = { nic: nics[0] as string, ...(options.management ?? { address: '192.168.100.10', prefix: 24, gateway: '192.168.100.1' }) };
    const seed = personaSeed(options.persona, options.name, mgmt);
    const tools = [...new Set([...seed.tools, ...(options.extraTools ?? [])])];
    const simDir = join(rootDir, '.sim');
    const standins = await StandinServer.acquire(simDir);
    try {
      await seedRoot(rootDir, seed, tools, initialLiveState(nics, mgmt), { name: options.name, persona: options.persona, applyLatencyMs: options.applyLatencyMs ?? 0, latencyPer: options.latencyPer ?? 'activation' }, standins);
    } catch (error) {
      await StandinServer.release(simDir);
      throw error;
    }

    const hostId = randomBytes(8).toString('hex');
    let host: SimulatedKvmHost | undefined;
    const faults = new KvmHostFaults(join(simDir, 'faults.json'), () => (host as SimulatedKvmHost).presentDifferentHostKey(), () => standins.cancelHost(simDir));
    const spawner = await ExecSpawner.acquire().catch(async (error: unknown) => {
      await StandinServer.release(simDir);
      throw error;
    });
    const server = new KvmHostSshServer({
      spawner,
      rootDir,
      hostKey,
      authorizedKeys,
      env: {
        HOSTNET_ROOT: rootDir,
        PATH: `${join(rootDir, '.sim', 'bin')}:${await systemPathDir()}`,
        HOME: join(rootDir, 'root'),
        LANG: 'C.UTF-8',
        SHELL: '/bin/sh',
        HOSTNET_SIM_HOST_ID: hostId,
      },
      faults,
      lean: options.hostModel === 'lean',
      isReachable: () => readFileSync(join(rootDir, '.sim', 'reachable'), 'utf8').trim() !== 'no',
    });
    const port = await server.listen(options.host ?? '127.0.0.1', options.port ?? 0).catch(async (error: unknown) => {
      ExecSpawner.release();
      await StandinServer.release(simDir);
      throw error;
    });
    const endpoint = { host: options.host ?? '127.0.0.1', port };
    host = new SimulatedKvmHost(options.name, options.persona, rootDir, endpoint, server, hostId, ownsRoot, hostKeyBlob, faults, standins);
    return host;
  }

  /**
   * CPU (ms) the simulated hosts' stand-ins have used in this process's stand-in server thread so far
   * (undefined while no host runs): it shows in this process's own CPU, not in its children's.
   */
  static standinCpuMs(): Promise<number | undefined> {
    return StandinServer.cpuMs();
  }

  /** The process that starts every host's commands (their CPU is in its tree), while hosts run. */
  static execSpawnerPid(): number | undefined {
    return ExecSpawner.pid;
  }

  /** SHA256 fingerprint (OpenSSH style) of the host key new connections see. */
  get hostKeyFingerprint(): string {
    return `SHA256:${createHash('sha256').update(this.hostKeyBlob).digest('base64').replace(/=+$/, '')}`;
  }

  /** The host's public key as `<type> <base64>`. */
  get hostPublicKey(): string {
    const type = this.hostKeyBlob.subarray(4, 4 + this.hostKeyBlob.readUInt32BE(0)).toString('latin1');
    return `${type} ${this.hostKeyBlob.toString('base64')}`;
  }

  /** A known_hosts line pinning this host's current key (`[127.0.0.1]:port type key`). */
  knownHostsLine(): string {
    const name = this.endpoint.port === 22 ? this.endpoint.host : `[${this.endpoint.host}]:${this.endpoint.port}`;
    return `${name} ${this.hostPublicKey}`;
  }

  /** Connection and exec counters (round-trip assertions). */
  get stats(): KvmHostSshStats & { activeConnections: number } {
    return { ...this.server.stats, activeConnections: this.server.activeConnections };
  }

  /** False while a loseManagementAfterApply fault keeps the host off the network. */
  get reachable(): boolean {
    return readFileSync(join(this.rootDir, '.sim', 'reachable'), 'utf8').trim() !== 'no';
  }

  /** Installs more stand-in tools on a running host, as a package installed later would (NetworkManager on an Ubuntu server turned desktop). */
  async installTools(tools: string[]): Promise<void> {
    await installStandins(this.rootDir, tools, this.standins);
    const listed = join(this.rootDir, '.sim', 'tools');
    const all = new Set([...readFileSync(listed, 'utf8').split('\n').filter(Boolean), ...tools]);
    await writeFile(listed, `${[...all].sort().join('\n')}\n`);
  }

  /** The host's live network state. */
  readLiveState(): LiveState {
    return readLiveStateAt(this.rootDir);
  }

  /** Every live state the host went through, oldest first: when (ms since epoch) and its link names. */
  readLiveHistory(): LiveHistoryEntry[] {
    return readLiveHistoryAt(this.rootDir);
  }

  /** Switches to a freshly generated host key for new connections; returns its fingerprint. */
  presentDifferentHostKey(): string {
    const key = generateHostKey();
    this.server.setHostKey(key);
    this.hostKeyBlob = publicBlob(key, 'generated host key');
    return this.hostKeyFingerprint;
  }

  /** Closes every connection, kills every process the host started (detached ones too), removes a temp root. */
  async stop(): Promise<void> {
    await this.server.close();
    await killHostProcesses(this.hostId);
    if (!this.stopped) {
      this.stopped = true;
      ExecSpawner.release();
      await StandinServer.release(join(this.rootDir, '.sim'));
    }
    if (this.ownsRoot) await rm(this.rootDir, { recursive: true, force: true });
  }
}

/** One line of .sim/live-history.jsonl: a live state the host entered (every write of live-state.json). */
export interface LiveHistoryEntry {
  at: number;
  links: string[];
}

/** The parts of standins/sim-state.js the simulator shares with the stand-ins (one implementation). */
interface SimStateModule {
  configHash(rootDir: string): string;
  writeState(state: LiveState, simDir: string): void;
}

/** Alias kept for readers who look for a "simulator". */
export const KvmHostSimulator = SimulatedKvmHost;

function generateHostKey(): string {
  return generateEd25519KeyPair().privateKey;
}

function publicBlob(key: string, field: string): Buffer {
  const parsed = utils.parseKey(key);
  if (parsed instanceof Error || !parsed.isPrivateKey()) throw new Error(`${field} must be an unencrypted private key (PEM or OpenSSH format)`);
  return parsed.getPublicSSH();
}

async function seedRoot(
  rootDir: string,
  seed: ReturnType<typeof personaSeed>,
  tools: string[],
  live: LiveState,
  config: { name: string; persona: KvmHostPersona; applyLatencyMs: number; latencyPer: LatencyPer },
  standins: StandinServer,
): Promise<void> {
  const sim = join(rootDir, '.sim');
  await mkdir(sim, { recursive: true });
  await mkdir(join(rootDir, 'root'), { recursive: true });
  for (const dir of seed.dirs) await mkdir(join(rootDir, dir), { recursive: true });
  for (const file of seed.files) {
    await mkdir(dirname(join(rootDir, file.path)), { recursive: true });
    await writeFile(join(rootDir, file.path), file.content);
    await chmod(join(rootDir, file.path), file.mode ?? 0o644);
  }
  await installStandins(rootDir, tools, standins);
  const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
  await writeFile(join(sim, 'tools'), `${[...tools].sort().join('\n')}\n`);
  await writeFile(join(sim, 'config.json'), json(config));
  await writeFile(join(sim, 'faults.json'), json({}));
  await writeFile(join(sim, 'reachable'), 'yes\n');
  // Remember the boot configuration's state so a rollback to these files restores it (see activation.js).
  const simState = require(join(STANDINS_DIR, 'sim-state.js')) as SimStateModule;
  simState.writeState(live, sim);
  await writeFile(join(sim, 'config-states.json'), json({ [simState.configHash(rootDir)]: live }));
}

/** The live network state of the simulated host whose root is `rootDir` (whichever thread runs it). */
export function readLiveStateAt(rootDir: string): LiveState {
  return JSON.parse(readFileSync(join(rootDir, '.sim', 'live-state.json'), 'utf8')) as LiveState;
}

/** Every live state of the simulated host whose root is `rootDir` went through, oldest first. */
export function readLiveHistoryAt(rootDir: string): LiveHistoryEntry[] {
  return readFileSync(join(rootDir, '.sim', 'live-history.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LiveHistoryEntry);
}
