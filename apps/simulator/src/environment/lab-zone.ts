import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudStackSimulator, loadSimulatorTopology, type VmMigrationHook } from '../cloudstack';
import { RedisProcess } from './redis-process';

const run = promisify(execFile);

/** What LabZone needs to know of one lab host (a subset of test/lab's inventory entry). */
export interface LabZoneHost {
  name: string;
  /** Network namespace of the host, used to answer CloudStack's bridge check without SSH. */
  namespace: string;
  managementIp: string;
  sshPort: number;
}

/** Where a running lab keeps its seed files, and how the zone should drive it. */
export interface LabZoneOptions {
  /** CloudStack simulator seed written by the lab (its KVM hosts are the lab hosts). */
  topologyPath: string;
  clientKeyPath: string;
  knownHostsPath: string;
  hosts: LabZoneHost[];
  /** Host profiles YAML (the operator's file) for this run. */
  profilesYaml: string;
  rollbackSeconds?: number;
  /** Use this Redis; otherwise a private redis-server is started on loopback. */
  redisUrl?: string;
  /** Moves a host's VMs (the lab's VM namespaces) during prepareHostForMaintenance. */
  migrateVms?: VmMigrationHook;
}

/**
 * The client side of a lab run: a CloudStack simulator seeded from the lab's topology, a private
 * Redis, and the operator's files (profiles, key, known_hosts). Lab hosts answer SSH at their
 * CloudStack address (port 22), so no SSH endpoints file is needed. Must run inside the lab's
 * network namespace: that is the only place lab addresses are reachable.
 */
export class LabZone {
  private constructor(
    readonly dir: string,
    readonly cloudstack: CloudStackSimulator,
    readonly env: Record<string, string>,
    private readonly redis?: RedisProcess,
  ) {}

  static async start(options: LabZoneOptions): Promise<LabZone> {
    const dir = await mkdtemp(join(tmpdir(), 'hostnet-labzone-'));
    let cloudstack: CloudStackSimulator | undefined;
    try {
      const topology = await loadSimulatorTopology(options.topologyPath);
      await writeFile(join(dir, 'profiles.yaml'), options.profilesYaml);
      const byName = new Map(options.hosts.map((h) => [h.name, h]));
      const apiKey = randomBytes(24).toString('base64url');
      const secretKey = randomBytes(32).toString('base64url');
      cloudstack = await CloudStackSimulator.start({
        topology,
        apiKey,
        secretKey,
        asyncJobDelayMs: 50,
        hostNetworkProbe: async (target) => {
          const host = byName.get(target.name);
          const present = host ? await linkNames(host.namespace) : new Set<string>();
          const missing = target.requiredLabels.filter((label) => !present.has(label));
          return { ok: missing.length === 0, missing };
        },
        ...(options.migrateVms ? { migrateVms: options.migrateVms } : {}),
      });
      const redis = options.redisUrl ? undefined : await RedisProcess.start(dir);
      const env: Record<string, string> = {
        REDIS_URL: options.redisUrl ?? redis!.url,
        QUEUE_PREFIX: `hostnet-lab-${randomBytes(4).toString('hex')}`,
        CLOUDSTACK_URL: cloudstack.url,
        CLOUDSTACK_API_KEY: apiKey,
        CLOUDSTACK_SECRET_KEY: secretKey,
        HOSTNET_PROFILES: join(dir, 'profiles.yaml'),
        HOSTNET_SSH_KEY: options.clientKeyPath,
        HOSTNET_KNOWN_HOSTS: options.knownHostsPath,
        HOSTNET_SSH_CONNECT_TIMEOUT_MS: '3000',
        HOSTNET_ROLLBACK_SECONDS: String(options.rollbackSeconds ?? 30),
        // no openvswitch kernel module in the lab: every bridge runs in the userspace datapath
        HOSTNET_OVS_DATAPATH: 'netdev',
        API_TOKEN: randomBytes(24).toString('base64url'),
        POLL_INTERVAL_MS: '500',
        API_HOST: '127.0.0.1',
        API_PORT: '0',
      };
      return new LabZone(dir, cloudstack, env, redis);
    } catch (error) {
      await cloudstack?.stop();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops CloudStack and a private Redis, and removes the files the zone wrote (never the lab's). */
  async stop(): Promise<void> {
    await Promise.allSettled([this.cloudstack.stop(), this.redis?.stop()]);
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Interface names inside a lab host's network namespace, as the CloudStack agent would look them up. */
async function linkNames(namespace: string): Promise<Set<string>> {
  const { stdout } = await run('ip', ['-n', namespace, '-o', 'link', 'show'], { timeout: 10_000 });
  return new Set(stdout.split('\n').map((line) => /^\d+:\s+([^:@\s]+)/.exec(line)?.[1]).filter((n): n is string => !!n));
}
