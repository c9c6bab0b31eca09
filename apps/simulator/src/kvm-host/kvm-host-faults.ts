import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LiveState } from '@hostnet/intent';
import { killProcessesWithEnv, processesWithEnv } from './kvm-host-process-reaper';
import { STANDINS_DIR } from './kvm-host-standins';

/** Faults as stored in <root>/.sim/faults.json, the single source of truth the stand-ins also read. */
export interface KvmHostFaultFile {
  loseManagementAfterApply?: boolean;
  dropConnectionDuringApply?: boolean;
  failCommand?: { regex: string; flags: string } | { substring: string };
  slowMs?: number;
}

/**
 * Runtime-programmable faults of one simulated host. Every property reads and writes .sim/faults.json, so
 * faults set here are seen by on-host processes (stand-ins, rollback timers) and faults consumed there
 * are seen here; an operator may also edit the file by hand.
 */
export class KvmHostFaults {
  constructor(
    private readonly file: string,
    private readonly switchHostKey: () => string,
    /** Drops the host's commands still running in the stand-in server (their clients were killed). */
    private readonly dropRunningStandins: () => Promise<void> = async () => undefined,
  ) {}

  /** Arm: the next activation makes the host unreachable over SSH until an activation restores the pre-fault state. */
  get loseManagementAfterApply(): boolean {
    return this.read().loseManagementAfterApply === true;
  }
  set loseManagementAfterApply(value: boolean) {
    this.update({ loseManagementAfterApply: value });
  }

  /** Arm: the next activation first closes the SSH connection it runs on (the files are already written). */
  get dropConnectionDuringApply(): boolean {
    return this.read().dropConnectionDuringApply === true;
  }
  set dropConnectionDuringApply(value: boolean) {
    this.update({ dropConnectionDuringApply: value });
  }

  /**
   * Arm: the next exec whose command matches (RegExp, or substring for a string) exits 1 with a stderr
   * line; so does the next `ovs-vsctl` or activation command a script runs on the host (e.g. /^netplan apply/
   * inside apply, /del-port pt-/ inside a relabel's contract step).
   */
  get failCommand(): RegExp | string | undefined {
    const f = this.read().failCommand;
    if (!f) return undefined;
    return 'regex' in f ? new RegExp(f.regex, f.flags) : f.substring;
  }
  set failCommand(value: RegExp | string | undefined) {
    this.update({ failCommand: value === undefined ? undefined : typeof value === 'string' ? { substring: value } : { regex: value.source, flags: value.flags } });
  }

  /** Delay added before every exec, in ms (0 = none). */
  get slowMs(): number {
    return this.read().slowMs ?? 0;
  }
  set slowMs(value: number) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`faults.slowMs must be a non-negative number of ms, got ${value}`);
    this.update({ slowMs: value });
  }

  /** New connections get a freshly generated host key from now on; returns its SHA256 fingerprint. */
  presentDifferentHostKey(): string {
    return this.switchHostKey();
  }

  /**
   * A power cycle as the host's own processes see it: every process running under this host's root is
   * killed (rollback timers, running scripts, steps), then the network comes up from the configuration
   * files now on disk, as at boot (unchanged when those files were never activated: nothing known to
   * boot from). Open SSH sessions stay up: the simulator's server is not the host's kernel.
   */
  async reboot(): Promise<{ killed: number; bootedFromFiles: boolean }> {
    const root = this.rootDir;
    const killed = await killProcessesWithEnv(`HOSTNET_ROOT=${root}`);
    // An activation whose client just died must not land after the boot state, even before its close is seen.
    await this.dropRunningStandins();
    rmSync(join(root, '.sim', 'lock'), { recursive: true, force: true }); // its holder died with the rest
    const host = (require(join(STANDINS_DIR, 'sim-host.js')) as { forHost(simDir: string): BootState }).forHost(join(root, '.sim'));
    const booted = host.readJson(host.sim('config-states.json'), {})[host.configHash()];
    if (booted) host.writeState(booted);
    host.flushCaches(); // a lean apply holding them back (holdCaches) would serve the state before the boot
    return { killed, bootedFromFiles: booted !== undefined };
  }

  /** Pids of the processes running on the host now (scripts, steps, timers), zombies excluded. */
  processes(): Promise<number[]> {
    return processesWithEnv(`HOSTNET_ROOT=${this.rootDir}`);
  }

  private get rootDir(): string {
    return dirname(dirname(this.file));
  }

  /** Disarms every fault (the host key stays as it is). */
  clear(): void {
    this.write({});
  }

  /** Consumes the failCommand fault when `command` matches it; true means "fail this exec". */
  consumeFailCommand(command: string): boolean {
    const pattern = this.failCommand;
    if (pattern === undefined) return false;
    const matches = typeof pattern === 'string' ? command.includes(pattern) : pattern.test(command);
    if (matches) this.update({ failCommand: undefined });
    return matches;
  }

  /** A fault that acts inside the host's own commands (the stand-ins a script runs) is armed. */
  get armedInCommands(): boolean {
    const f = this.read();
    return f.loseManagementAfterApply === true || f.dropConnectionDuringApply === true || f.failCommand !== undefined;
  }

  /** Current fault file content. */
  read(): KvmHostFaultFile {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as KvmHostFaultFile;
    } catch {
      return {};
    }
  }

  private update(patch: Partial<KvmHostFaultFile>): void {
    this.write({ ...this.read(), ...patch });
  }

  /** Through the stand-ins' own atomic write: the stand-in server's thread writes this file too (a consumed fault). */
  private write(value: KvmHostFaultFile): void {
    (require(join(STANDINS_DIR, 'sim-state.js')) as { writeJsonAtomic(file: string, value: unknown): void }).writeJsonAtomic(this.file, value);
  }
}

/** The parts of standins/sim-host.js a reboot uses. */
interface BootState {
  sim(name: string): string;
  readJson(file: string, fallback: Record<string, LiveState>): Record<string, LiveState>;
  configHash(): string;
  writeState(state: LiveState): void;
  flushCaches(): void;
}
