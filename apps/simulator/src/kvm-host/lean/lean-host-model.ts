import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_SCRIPT_COMMANDS, type HostScriptName } from '@hostnet/apply';
import { shellQuote } from '@hostnet/ssh';
import { agentRestartOf, leanAgentRestart } from './lean-agent-restart';
import { leanApply, type LeanApplyContext } from './lean-apply';
import { leanConfirm } from './lean-confirm';
import { commandPath, leanFacts } from './lean-facts';
import { LeanHostDir } from './lean-host-dir';
import { LeanDecline } from './lean-live';
import { type HostShell, LeanSteps } from './lean-steps';
import { leanVerify } from './lean-verify';
import { LeanWatcher } from './lean-watcher';

/** What an exec printed and how it ended. */
export interface LeanExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

const SCRIPT_BY_COMMAND = new Map(Object.entries(HOST_SCRIPT_COMMANDS).map(([name, command]) => [command, name as HostScriptName]));

/**
 * The lean host model: a simulated host that answers the worker's four on-host scripts (facts, apply,
 * verify, confirm) in this process instead of running them in a shell, with the same bytes out (times
 * and the watcher's mechanism aside) and the same files, run directory, journal and state.json left
 * behind (test/integration/simulator/lean-host-contract.spec.ts holds it to the scripts). The scripts
 * start about 140 processes per host and change; on a 2-core machine that CPU, not hostnet's, set the
 * bench's pace. Everything else — another command, a host with an armed fault, a run to recover or
 * refuse, a rollback — still runs the real script, which reads the same files. A host's lean answers
 * run one at a time, as the scripts' run lock would have them.
 */
export class LeanHostModel {
  private readonly host: LeanHostDir;
  private readonly simDir: string;
  private readonly steps: LeanSteps;
  private readonly watcher: LeanWatcher;
  /** Runs this model applied: their watcher is a timer here, not a process a contact could find (lean-watcher.ts). */
  private readonly leanRuns = new Set<string>();
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    rootDir: string,
    private readonly pathDirs: string[],
    /** Runs a command line in a real shell on the host (a step with no in-process stand-in, a restore). */
    private readonly shell: HostShell,
    /** A fault acts inside the host's commands: those answers are the script's (the faults act in the stand-ins it calls). */
    private readonly faultArmed: () => boolean,
  ) {
    this.host = new LeanHostDir(rootDir);
    this.simDir = join(rootDir, '.sim');
    this.steps = new LeanSteps(rootDir, shell);
    this.watcher = new LeanWatcher(this.host, (command) => this.inTurn(() => this.shell(command)));
  }

  /** The script a command line runs, when it is one this model answers. */
  static scriptOf(command: string): HostScriptName | 'agent-restart' | undefined {
    return SCRIPT_BY_COMMAND.get(command) ?? (agentRestartOf(command) ? 'agent-restart' : undefined);
  }

  /** The agent restart a command line asks for (its job key in the command itself), or undefined for the shell. */
  answerAgentRestart(command: string): Promise<LeanExecResult | undefined> {
    const restart = agentRestartOf(command);
    return this.inTurn(async () => (restart && !this.faultArmed() ? { ...leanAgentRestart(this.host, restart.key), stderr: '' } : undefined));
  }

  /** The script's answer, or undefined when the script itself must run (see the class comment). */
  answer(script: HostScriptName, stdin: string): Promise<LeanExecResult | undefined> {
    return this.inTurn(async () => {
      if (this.faultArmed()) return undefined;
      try {
        return await this.answerNow(script, stdin);
      } catch (error) {
        if (error instanceof LeanDecline) return undefined;
        throw error;
      }
    });
  }

  /** Stops the runs' watcher timers (the host is going away). */
  stop(): void {
    this.watcher.stop();
  }

  private async answerNow(script: HostScriptName, stdin: string): Promise<LeanExecResult> {
    switch (script) {
      case 'facts':
        return { stdout: leanFacts(this.host, stdin, this.pathDirs), stderr: '', code: 0 };
      case 'apply': {
        const stdout = await leanApply(this.host, stdin, this.applyContext());
        const run = /"runId":"([^"]*)"/.exec(stdout)?.[1];
        if (run && stdout.startsWith('{"status":"armed"')) this.watcher.arm(run);
        return { stdout, stderr: '', code: 0 };
      }
      case 'verify': {
        const stdout = await leanVerify(this.host, stdin, this.leanRuns, (gateway) => this.ping(gateway));
        const run = this.host.state();
        if (run.phase === 'armed' && run.runId && this.leanRuns.has(run.runId)) this.watcher.arm(run.runId);
        return { stdout, stderr: '', code: 0 };
      }
      case 'confirm': {
        const result = leanConfirm(this.host, stdin);
        const run = this.host.state();
        if (run.phase !== 'armed' && run.runId) this.watcher.disarm(run.runId);
        return { ...result, stderr: '' };
      }
    }
  }

  /** Runs `fn` after every earlier answer (and watcher restore) of this host has ended. */
  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.turn.then(fn);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private applyContext(): LeanApplyContext {
    return {
      onPath: (name) => commandPath(this.pathDirs, name) !== undefined,
      applyLatencyMs: this.applyLatencyMs(),
      started: (run) => this.leanRuns.add(run),
      run: (argv, timeoutSeconds) => this.steps.run(argv, timeoutSeconds),
      series: (fn) => this.steps.series(fn),
      restoreNow: async (runDir, why) => {
        await this.shell(`sh ${shellQuote(`${runDir}/restore.sh`)} ${shellQuote(runDir)} now ${shellQuote(why)} > ${shellQuote(`${runDir}/restore-now.log`)} 2>&1`);
      },
    };
  }

  private applyLatencyMs(): number {
    try {
      return Number((JSON.parse(readFileSync(join(this.simDir, 'config.json'), 'utf8')) as { applyLatencyMs?: unknown }).applyLatencyMs) || 0;
    } catch {
      return 0;
    }
  }

  private async ping(gateway: string): Promise<'ok' | 'failed' | 'skipped no-ping'> {
    if (!this.steps.inProcess('ping')) return 'skipped no-ping';
    return (await this.steps.runTool(['ping', '-c1', '-W1', gateway])).code === 0 ? 'ok' : 'failed';
  }
}
