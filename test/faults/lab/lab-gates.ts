import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab, LabHost } from '../../lab/lab';

/**
 * Holding a real lab host at a phase of a run, without the simulator's gates: the host's own
 * journal (read from its /var/lib overlay) and process table say where the run is, and the run is
 * held there by SIGSTOP (the apply script, or the facts/verify/confirm script) until release().
 *   backup   at least one file backed up, nothing armed yet
 *   write    at least one file written, no step started
 *   step:X   step X started and not ended (the apply script stopped while X runs or has just exited)
 *   facts    the facts script runs (before any journal)
 *   verify, confirm   every step ended; the host's run lock is held so the script waits for it
 *            (up to its 5 s), and is then stopped
 * A phase that went by before the stop landed counts as missed: reached() answers false.
 */
export class LabGate {
  private stopped: number[] = [];
  private holder?: ChildProcess;
  private state: 'waiting' | 'hit' | 'missed' = 'waiting';
  private readonly known: Set<string>;
  private readonly releaseFile: string;
  private readonly polling: Promise<void>;
  private done = false;
  private readonly sshd: number;

  constructor(
    private readonly lab: Lab,
    private readonly host: LabHost,
    readonly phase: string,
  ) {
    this.known = new Set(this.runs());
    this.sshd = Number(readFileSync(join(host.stateDir, 'init.pid'), 'utf8').trim());
    this.releaseFile = `/run/lab/gate-release-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    this.polling = this.poll();
  }

  get hit(): boolean {
    return this.state === 'hit';
  }

  /** Whether the run got to the phase and is held there, waiting at most `ms`. */
  async reached(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.state === 'waiting' && Date.now() < deadline) await sleep(10);
    if (this.state === 'waiting') this.done = true;
    return this.state === 'hit';
  }

  /** Lets the run go on (processes killed meanwhile stay dead). */
  async release(): Promise<void> {
    this.done = true;
    await this.polling;
    for (const pid of this.stopped) signal(pid, 'SIGCONT');
    this.stopped = [];
    if (this.holder) {
      await this.lab.hostExec(this.host, ['touch', this.releaseFile]).catch(() => undefined);
      this.holder = undefined;
    }
  }

  private async poll(): Promise<void> {
    const script = /^(facts|verify|confirm)$/.test(this.phase) ? this.phase : undefined;
    while (!this.done) {
      const run = this.run();
      const events = run ? journal(run) : [];
      if (script) {
        if (script !== 'facts' && !this.holder && has(events, /^steps-done /)) await this.holdLock();
        if (script === 'facts' || this.holder) {
          const pids = scriptPids(this.sshd, `hostnet-${script}`);
          if (pids.length > 0) {
            pids.forEach((pid) => signal(pid, 'SIGSTOP'));
            this.stopped.push(...pids);
            this.state = 'hit';
            return;
          }
        }
        await sleep(2);
        continue;
      }
      if (run && atPhase(this.phase, events)) {
        const pid = applyPid(run);
        if (pid && signal(pid, 'SIGSTOP')) {
          this.stopped.push(pid);
          await sleep(30);
          this.state = atPhase(this.phase, journal(run)) ? 'hit' : 'missed';
          return;
        }
      }
      if (run && passed(this.phase, events)) {
        this.state = 'missed';
        return;
      }
      await sleep(4);
    }
  }

  /** Takes the host's run lock (as a host process) once the apply has let go of it. */
  private async holdLock(): Promise<void> {
    const pid = String(this.sshd);
    const wait = `n=0; echo held; while [ ! -e ${this.releaseFile} ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done`;
    const child = spawn('nsenter', ['-t', pid, '-m', '-u', '-n', '--', 'flock', '-w', '60', '/var/lib/hostnet/run.lock', 'sh', '-c', wait], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.holder = child;
    await new Promise<void>((resolve) => {
      child.stdout!.on('data', () => resolve());
      child.once('exit', () => resolve());
    });
  }

  private backups(): string {
    return join(this.host.stateDir, 'varlib.upper', 'hostnet', 'backups');
  }

  private runs(): string[] {
    return existsSync(this.backups()) ? readdirSync(this.backups()) : [];
  }

  private run(): string | undefined {
    const fresh = this.runs().find((r) => !this.known.has(r));
    return fresh && join(this.backups(), fresh);
  }
}

/**
 * Pids of the on-host script `name` (`sh -c SCRIPT hostnet-<name>`) among the descendants of the
 * host's sshd: read from /proc without starting a process, so a short script can be caught.
 */
export function scriptPids(sshd: number, name: string): number[] {
  const found: number[] = [];
  const queue = [sshd];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    let children: number[] = [];
    try {
      children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      continue;
    }
    for (const child of children) {
      try {
        if (readFileSync(`/proc/${child}/cmdline`, 'utf8').endsWith(`\0${name}\0`)) found.push(child);
      } catch {
        // gone
      }
      queue.push(child);
    }
  }
  return found;
}

/** The run's journal events (timestamps dropped). */
export function journal(runDir: string): string[] {
  try {
    return readFileSync(join(runDir, 'journal'), 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\d+ /, ''));
  } catch {
    return [];
  }
}

const has = (events: string[], re: RegExp) => events.some((e) => re.test(e));

function atPhase(phase: string, events: string[]): boolean {
  if (phase === 'backup') return has(events, /^(backed-up|absent) /) && !has(events, /^armed /);
  if (phase === 'write') return has(events, /^wrote /) && !has(events, /^step-start /);
  const step = /^step:(.+)$/.exec(phase)?.[1];
  return step !== undefined && events.includes(`step-start ${step}`) && !has(events, new RegExp(`^step-end ${step} `));
}

/** The run is beyond the phase (or ended without reaching it). */
function passed(phase: string, events: string[]): boolean {
  if (has(events, /^(failed|steps-done|restore-start)/)) return true;
  if (phase === 'backup') return has(events, /^armed /);
  if (phase === 'write') return has(events, /^step-start /);
  const step = /^step:(.+)$/.exec(phase)?.[1];
  return step !== undefined && has(events, new RegExp(`^step-end ${step} `));
}

function applyPid(runDir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(runDir, 'apply.pid'), 'utf8').split(' ')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
