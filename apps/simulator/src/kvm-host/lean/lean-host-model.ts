import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_SCRIPT_COMMANDS, type HostScriptName } from '@hostnet/apply';
import { shellQuote } from '@hostnet/ssh';
import { STANDINS_DIR } from '../kvm-host-standins';
import { leanApply, type LeanTools } from './lean-apply';
import { leanConfirm } from './lean-confirm';
import { leanFacts } from './lean-facts';
import { LeanHostDir } from './lean-host-dir';
import { LeanDecline } from './lean-live';
import { leanSysctl } from './lean-sysctl';
import { leanVerify } from './lean-verify';

/** What an exec printed and how it ended. */
export interface LeanExecResult {
  stdout: string;
  stderr: string;
  code: number;
}

type StandinTool = (host: unknown, argv: string[], io: unknown) => unknown;
interface StandinModules {
  TOOLS: Record<string, StandinTool>;
  forHost(simDir: string): unknown;
  invoke(tool: StandinTool, host: unknown, argv: string[], io: unknown): Promise<{ code: number; stdout: string; stderr: string }>;
}

let modules: StandinModules | undefined;
function standins(): StandinModules {
  modules ??= {
    TOOLS: (require(join(STANDINS_DIR, 'tools.js')) as { TOOLS: Record<string, StandinTool> }).TOOLS,
    forHost: (require(join(STANDINS_DIR, 'sim-host.js')) as { forHost: StandinModules['forHost'] }).forHost,
    invoke: (require(join(STANDINS_DIR, 'tool-runner.js')) as { invoke: StandinModules['invoke'] }).invoke,
  };
  return modules;
}

const SCRIPT_BY_COMMAND = new Map(Object.entries(HOST_SCRIPT_COMMANDS).map(([name, command]) => [command, name as HostScriptName]));

/**
 * The lean host model: a simulated host that answers the worker's four on-host scripts (facts, apply,
 * verify, confirm) in this process instead of running them in a shell, with the same bytes out and the
 * same files, run directory, journal and state.json left behind (test/integration/simulator/
 * lean-host-contract.spec.ts holds it to the scripts). The scripts start about 140 processes per host
 * and change; on a 2-core machine that CPU, not hostnet's, set the bench's pace. Everything else — another
 * command, a host with an armed fault, a run to recover or refuse, a rollback — still runs the real
 * script, which reads the same files.
 */
export class LeanHostModel {
  private readonly host: LeanHostDir;
  private readonly simDir: string;
  /** Runs this model applied: they have no watcher process for a contact to find (lean-apply.ts). */
  private readonly leanRuns = new Set<string>();

  constructor(
    rootDir: string,
    private readonly pathDirs: string[],
    /** Runs a command line in a real shell on the host (a step with no in-process stand-in, a restore). */
    private readonly shell: (command: string) => Promise<{ code: number; stdout: string; stderr: string }>,
  ) {
    this.host = new LeanHostDir(rootDir);
    this.simDir = join(rootDir, '.sim');
  }

  /** The script a command line runs, when it is one this model answers. */
  static scriptOf(command: string): HostScriptName | undefined {
    return SCRIPT_BY_COMMAND.get(command);
  }

  /** The script's answer, or undefined when the script itself must run (see the class comment). */
  async answer(script: HostScriptName, stdin: string): Promise<LeanExecResult | undefined> {
    if (this.faultArmed()) return undefined;
    try {
      switch (script) {
        case 'facts':
          return { stdout: leanFacts(this.host, stdin, this.pathDirs), stderr: '', code: 0 };
        case 'apply': {
          const stdout = await leanApply(this.host, stdin, this.tools());
          const run = /"runId":"([^"]*)"/.exec(stdout)?.[1];
          if (run) this.leanRuns.add(run);
          return { stdout, stderr: '', code: 0 };
        }
        case 'verify':
          return { stdout: await leanVerify(this.host, stdin, this.leanRuns, (gateway) => this.ping(gateway)), stderr: '', code: 0 };
        case 'confirm':
          return { ...leanConfirm(this.host, stdin), stderr: '' };
      }
    } catch (error) {
      if (error instanceof LeanDecline) return undefined;
      throw error;
    }
  }

  /** Any armed fault (faults.json) is the script's: the faults act inside the stand-ins a script calls. */
  private faultArmed(): boolean {
    try {
      const faults = JSON.parse(readFileSync(join(this.simDir, 'faults.json'), 'utf8')) as Record<string, unknown>;
      return Object.values(faults).some((v) => v !== undefined && v !== false && v !== 0 && v !== null);
    } catch {
      return true;
    }
  }

  private hasTool(name: string): boolean {
    return (name in standins().TOOLS || name === 'sysctl') && existsSync(join(this.simDir, 'bin', name));
  }

  /** A step's argv: by the host's stand-in in this process when it has one, else in a real shell (as run_step would, under timeout). */
  private async runStep(argv: string[], timeoutSeconds: number): Promise<{ code: number; stdout: string; stderr: string }> {
    if (argv.length > 0 && this.hasTool(argv[0]!)) return this.runTool(argv);
    return this.shell(['timeout', '-k', '5', String(timeoutSeconds), ...argv].map(shellQuote).join(' '));
  }

  private async runTool(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const { TOOLS, forHost, invoke } = standins();
    const [name = '', ...args] = argv;
    if (name === 'sysctl') return leanSysctl(this.host.rootDir, args);
    const io = {
      env: {},
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
      dropConnection: async () => undefined,
    };
    return invoke(TOOLS[name]!, forHost(this.simDir), args, io);
  }

  private tools(): LeanTools {
    return {
      run: (argv, timeoutSeconds) => this.runStep(argv, timeoutSeconds),
      restoreNow: async (runDir, why) => {
        await this.shell(`sh ${shellQuote(`${runDir}/restore.sh`)} ${shellQuote(runDir)} now ${shellQuote(why)} > ${shellQuote(`${runDir}/restore-now.log`)} 2>&1`);
      },
    };
  }

  private async ping(gateway: string): Promise<'ok' | 'failed' | 'skipped no-ping'> {
    if (!this.hasTool('ping')) return 'skipped no-ping';
    return (await this.runTool(['ping', '-c1', '-W1', gateway])).code === 0 ? 'ok' : 'failed';
  }
}
