import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { netmaskToPrefix, type LiveState } from '@hostnet/intent';
import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology } from '../cloudstack';
import { SimulatedKvmHost, type HostModel, type KvmHostPersona, type LatencyPer, type LiveHistoryEntry, type SimulatedKvmHostOptions } from '../kvm-host';
import { demoProfilesYaml, PERSONA_BACKEND } from './demo-profiles';
import { RedisProcess } from './redis-process';
import { vmBridgeGaps } from './vm-bridge-audit';
import { seedZone } from './zone-seed';

export interface SimulatedZoneOptions {
  /** How many KVM hosts (default 3, like the reference's small zone). */
  hosts?: number;
  /** Hosts running and in the operator's files but not in CloudStack yet (for add-host). */
  spareHosts?: number;
  /** Personas cycled over the hosts. */
  personas?: KvmHostPersona[];
  /** Activation latency of each simulated host, in ms. */
  applyLatencyMs?: number;
  /** What applyLatencyMs is the time of: each activation (default) or a host's whole apply. */
  latencyPer?: LatencyPer;
  /** How the hosts run the worker's scripts: in a real shell (default) or the lean model (the bench's). */
  hostModel?: HostModel;
  /** Use this Redis; otherwise a private redis-server is started. */
  redisUrl?: string;
  /** Rollback timer of the on-host workflow, seconds. */
  rollbackSeconds?: number;
  /** Delay before CloudStack's async jobs complete. */
  asyncJobDelayMs?: number;
  /** Clusters of pod1 the hosts are spread over, consecutive hosts together (default 1). */
  clusters?: number;
  /** Running VMs CloudStack shows on every host (default 0); maintenance migrates them within the cluster. */
  vmsPerHost?: number;
}

const DEFAULT_PERSONAS: KvmHostPersona[] = ['centos7', 'ubuntu2204', 'rocky9', 'ubuntu2404', 'debian12'];

/** What the zone needs of a simulated host, wherever it runs (SimulatedKvmHost in this thread, ThreadedKvmHost in another). */
export interface ZoneHost {
  readonly name: string;
  readonly persona: KvmHostPersona;
  readonly rootDir: string;
  readonly endpoint: { host: string; port: number };
  knownHostsLine(): string;
  readLiveState(): LiveState;
  readLiveHistory(): LiveHistoryEntry[];
  stop(): Promise<void>;
}

/**
 * Everything hostnet talks to, on loopback: a CloudStack simulator holding the reference zone, N
 * simulated KVM hosts behind real SSH (each on its own port: the topology's addresses are never
 * connected to), the files an operator would write (profiles, SSH endpoints, known_hosts, a key)
 * and a Redis. `env` is what api and worker need to run against it unchanged.
 */
export class SimulatedZone<H extends ZoneHost = SimulatedKvmHost> {
  private constructor(
    readonly dir: string,
    readonly cloudstack: CloudStackSimulator,
    readonly hosts: Map<string, H>,
    readonly env: Record<string, string>,
    private readonly redis?: RedisProcess,
  ) {}

  static start(options: SimulatedZoneOptions = {}): Promise<SimulatedZone> {
    return SimulatedZone.startWith(options, (hostOptions) => SimulatedKvmHost.start(hostOptions));
  }

  /** The zone with its hosts started by `startHost` (KvmHostThreads.startHost spreads them over threads). */
  static async startWith<H extends ZoneHost>(options: SimulatedZoneOptions, startHost: (options: SimulatedKvmHostOptions) => Promise<H>): Promise<SimulatedZone<H>> {
    const dir = await mkdtemp(join(tmpdir(), 'hostnet-zone-'));
    const started: { hosts: H[]; cloudstack?: CloudStackSimulator; redis?: RedisProcess } = { hosts: [] };
    try {
      const personas = options.personas ?? DEFAULT_PERSONAS;
      const seeded = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), options.hosts ?? 3, options.spareHosts ?? 0, options.clusters ?? 1);
      const { topology } = seeded;
      const seeds = [...seeded.hosts, ...seeded.spares];
      const pod = topology.zones[0]!.pods[0]!;
      const prefix = netmaskPrefix(pod.netmask);

      const clientKey = clientKeyPair();
      const keyPath = join(dir, 'id_ed25519');
      await writeFile(keyPath, clientKey.private, { mode: 0o600 });

      const hosts = new Map<string, H>();
      for (let i = 0; i < seeds.length; i += 25) {
        const batch = await Promise.all(
          seeds.slice(i, i + 25).map((seed, j) => {
            const persona = personas[(i + j) % personas.length]!;
            return startHost({
              name: seed.name,
              persona,
              authorizedKeys: [clientKey.public],
              applyLatencyMs: options.applyLatencyMs ?? 0,
              ...(options.latencyPer ? { latencyPer: options.latencyPer } : {}),
              ...(options.hostModel ? { hostModel: options.hostModel } : {}),
              management: { address: seed.ipAddress, prefix, gateway: pod.gateway },
              ...(PERSONA_BACKEND[persona] === 'ovs' ? { extraTools: ['ovs-vsctl', 'ovs-appctl'] } : {}),
            });
          }),
        );
        for (const host of batch) (started.hosts.push(host), hosts.set(host.name, host));
      }

      await writeFile(join(dir, 'known_hosts'), [...hosts.values()].map((h) => h.knownHostsLine()).join('\n') + '\n');
      await writeFile(
        join(dir, 'ssh-endpoints.yaml'),
        `hosts:\n${[...hosts.values()].map((h) => `  ${h.name}: { address: ${h.endpoint.host}, port: ${h.endpoint.port} }`).join('\n')}\n`,
      );
      await writeFile(
        join(dir, 'profiles.yaml'),
        demoProfilesYaml(seeds.map((s) => ({ name: s.name, storageAddress: s.storageAddress, persona: hosts.get(s.name)!.persona }))),
      );

      const apiKey = randomBytes(24).toString('base64url');
      const secretKey = randomBytes(32).toString('base64url');
      const cloudstack = await CloudStackSimulator.start({
        topology,
        apiKey,
        secretKey,
        asyncJobDelayMs: options.asyncJobDelayMs ?? 50,
        // CheckNetworkCommand: the agent finds each label as a device on the host (found by its
        // management address during addHost, when CloudStack does not know its name yet).
        hostNetworkProbe: async (target) => {
          const name = seeds.find((s) => s.ipAddress === target.ipAddress)?.name ?? target.name;
          const host = hosts.get(name);
          const present = new Set(host ? host.readLiveState().links.map((l) => l.name) : []);
          const missing = target.requiredLabels.filter((label) => !present.has(label));
          return { ok: missing.length === 0, missing, ...(host ? { hostname: host.name } : {}) };
        },
      });
      started.cloudstack = cloudstack;
      for (const seed of seeded.hosts) cloudstack.state.setRunningVms(seed.name, options.vmsPerHost ?? 0);
      const redis = options.redisUrl ? undefined : await RedisProcess.start(dir);
      started.redis = redis;

      const env: Record<string, string> = {
        REDIS_URL: options.redisUrl ?? redis!.url,
        QUEUE_PREFIX: `hostnet-${randomBytes(4).toString('hex')}`,
        CLOUDSTACK_URL: cloudstack.url,
        CLOUDSTACK_API_KEY: apiKey,
        CLOUDSTACK_SECRET_KEY: secretKey,
        HOSTNET_PROFILES: join(dir, 'profiles.yaml'),
        HOSTNET_SSH_ENDPOINTS: join(dir, 'ssh-endpoints.yaml'),
        HOSTNET_SSH_KEY: keyPath,
        HOSTNET_KNOWN_HOSTS: join(dir, 'known_hosts'),
        HOSTNET_ROLLBACK_SECONDS: String(options.rollbackSeconds ?? 30),
        API_TOKEN: randomBytes(24).toString('base64url'),
        WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
        POLL_INTERVAL_MS: '1000',
        CLOUDSTACK_ASYNC_POLL_INTERVAL_MS: '100',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
      };
      return new SimulatedZone<H>(dir, cloudstack, hosts, env, redis);
    } catch (error) {
      await Promise.allSettled([...started.hosts.map((h) => h.stop()), started.cloudstack?.stop(), started.redis?.stop()]);
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Every time from `since` on that running VMs had a NIC on a bridge their host did not have (CloudStack's
   * VM placements against each simulated host's live states); empty when VMs never lost their bridge.
   */
  vmBridgeGaps(since: Date): string[] {
    return [...this.hosts.values()].flatMap((host) => {
      const record = this.cloudstack.state.hosts.find((h) => h.name === host.name);
      const placements = this.cloudstack.state.vmPlacements.filter((p) => p.hostId === record?.id);
      return vmBridgeGaps(host.name, placements, host.readLiveHistory(), since);
    });
  }

  /** Stops hosts, CloudStack, a private Redis, and removes every file the zone wrote. */
  async stop(): Promise<void> {
    await Promise.allSettled([...[...this.hosts.values()].map((h) => h.stop()), this.cloudstack.stop(), this.redis?.stop()]);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function netmaskPrefix(netmask: string): number {
  const prefix = netmaskToPrefix(netmask);
  if (prefix === null) throw new Error(`netmask ${JSON.stringify(netmask)} is not a contiguous dotted-quad netmask; fix: write it like 255.255.255.0`);
  return prefix;
}

/**
 * The client key every simulated host authorizes. Seen once in CI: ssh2 could not parse back the
 * public key it had just generated ("Malformed OpenSSH public key"); a key is used only once it parses.
 */
function clientKeyPair(): { private: string; public: string } {
  for (let attempt = 1; ; attempt++) {
    const key = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(key.public) instanceof Error)) return key;
    if (attempt >= 5) throw new Error('ssh2 generated 5 ed25519 keys whose public half it cannot parse');
  }
}
