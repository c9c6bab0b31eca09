import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult } from '@hostnet/ssh/host-session';
import { LabBackend, LabHost, LabInventory, LabPersona, readLabInventory } from './lab-inventory';
import { RunOptions, runChecked, runCommand } from './lab-process';

export * from './lab-inventory';

/** How to shape a lab: host count, personas and backends (both cycled over the hosts), where to keep state. */
export interface LabUpOptions {
  hosts: number;
  personas?: LabPersona[];
  /** 'all' | 'none' | every K-th host (1, 1+K, …) | an explicit per-host list, cycled. Default 'all'. */
  ovs?: 'all' | 'none' | number | LabBackend[];
  stateDir?: string;
  /** Namespace prefix (lab namespace `<prefix>lab`, hosts `<prefix>h01`…); lets two labs coexist. */
  prefix?: string;
  timeoutMs?: number;
}

const LAB_DIR = __dirname;

/** A running lab brought up by test/lab/lab-up.sh; the client side runs inside its lab namespace. */
export class Lab {
  private constructor(
    readonly inventory: LabInventory,
    private readonly prefix: string,
  ) {}

  /** Brings up a lab (tearing down any previous lab in the same state dir) and returns it. */
  static async up(options: LabUpOptions): Promise<Lab> {
    const stateDir = options.stateDir ?? '/run/hostnet-lab';
    const prefix = options.prefix ?? 'hn';
    const argv = [join(LAB_DIR, 'lab-up.sh'), String(options.hosts), '--state', stateDir, '--prefix', prefix];
    if (options.personas?.length) argv.push('--personas', options.personas.join(','));
    const ovs = options.ovs ?? 'all';
    if (Array.isArray(ovs)) argv.push('--backends', ovs.join(','));
    else if (typeof ovs === 'number') argv.push('--ovs-every', String(ovs));
    else argv.push('--ovs', ovs);
    try {
      await runChecked(argv, { timeoutMs: options.timeoutMs ?? 120_000 });
    } catch (error) {
      // a half-built lab must not outlive the caller: take it down, then report why it failed
      await runCommand([join(LAB_DIR, 'lab-down.sh'), '--state', stateDir, '--prefix', prefix], { timeoutMs: 60_000 });
      throw error;
    }
    return new Lab(readLabInventory(stateDir), prefix);
  }

  /** A lab already up (brought up by another process): its inventory, nothing started or stopped. */
  static open(stateDir: string): Lab {
    const inventory = readLabInventory(stateDir);
    return new Lab(inventory, inventory.labNamespace.replace(/lab$/, ''));
  }

  /** Tears the lab down: no namespaces, processes, mounts or state left. */
  async down(timeoutMs = 60_000): Promise<void> {
    const argv = [join(LAB_DIR, 'lab-down.sh'), '--state', this.inventory.stateDir, '--prefix', this.prefix];
    await runChecked(argv, { timeoutMs });
  }

  /** The inventory entry of one host, by name or management IP. */
  host(nameOrIp: string): LabHost {
    const found = this.inventory.hosts.find((h) => h.name === nameOrIp || h.managementIp === nameOrIp);
    if (!found) throw new Error(`no lab host '${nameOrIp}' (have ${this.inventory.hosts.map((h) => h.name).join(', ')})`);
    return found;
  }

  /** Runs argv inside the lab namespace (where the client side of the lab lives). */
  execInLab(argv: string[], options?: RunOptions): Promise<ExecResult> {
    return runCommand(['ip', 'netns', 'exec', this.inventory.labNamespace, ...argv], options);
  }

  /** Runs a shell command line on a host over real SSH, from the lab namespace, with the lab's key. */
  sshExec(host: string | LabHost, command: string, options: RunOptions = {}): Promise<ExecResult> {
    const target = typeof host === 'string' ? this.host(host) : host;
    const timeoutSec = Math.max(1, Math.ceil((options.timeoutMs ?? 15_000) / 3000));
    return this.execInLab(['ssh', ...this.sshOptions(timeoutSec), '-p', String(target.sshPort),
      `${target.sshUser}@${target.managementIp}`, '--', command], options);
  }

  /** `ssh` options that pin the lab's client key and known_hosts (nothing from ~/.ssh is read or written). */
  sshOptions(connectTimeoutSec = 5): string[] {
    return ['-F', '/dev/null', '-i', this.inventory.clientKeyPath,
      '-o', `UserKnownHostsFile=${this.inventory.knownHostsPath}`, '-o', 'GlobalKnownHostsFile=/dev/null',
      '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes',
      '-o', `ConnectTimeout=${connectTimeoutSec}`, '-o', 'LogLevel=ERROR'];
  }

  /** Runs argv inside a host's namespaces directly (no SSH): for setup and for checking behind hostnet's back. */
  hostExec(host: string | LabHost, argv: string[], options?: RunOptions): Promise<ExecResult> {
    const target = typeof host === 'string' ? this.host(host) : host;
    const pid = readFileSync(join(target.stateDir, 'init.pid'), 'utf8').trim();
    return runCommand(['nsenter', '-t', pid, '-m', '-u', '-n', '--', ...argv], options);
  }
}
