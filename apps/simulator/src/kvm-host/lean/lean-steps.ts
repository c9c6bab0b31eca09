import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shellQuote } from '@hostnet/ssh';
import { STANDINS_DIR } from '../kvm-host-standins';
import { leanSnippetOf, toolOutput, type ToolResult } from './lean-snippets';
import { leanSysctl } from './lean-sysctl';

/** What a step printed (stdout and stderr in the order the script's step log would hold them) and its exit code. */
export interface LeanStepResult {
  code: number;
  output: Buffer;
}

/** Runs a command line in a real shell on the host (stdin empty) and collects stdout, stderr and the exit code. */
export type HostShell = (command: string) => Promise<{ code: number; stdout: Buffer; stderr: Buffer }>;

type StandinTool = (host: unknown, argv: string[], io: unknown) => unknown;
interface StandinHost {
  holdCaches(): () => void;
  flushCaches(): void;
}
interface StandinModules {
  TOOLS: Record<string, StandinTool>;
  forHost(simDir: string): StandinHost;
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

/**
 * A lean host's steps: the host's stand-in tools run in this process (the same functions the stand-in
 * server runs for a script's `ip`, `ifup`, …), and so do the activation snippets made of them
 * (lean-snippets.ts); anything else runs in a real shell under `timeout`, as run_step runs it.
 */
export class LeanSteps {
  private readonly simDir: string;

  constructor(
    private readonly rootDir: string,
    private readonly shell: HostShell,
  ) {
    this.simDir = join(rootDir, '.sim');
  }

  /** Whether the host has this tool as a stand-in (in its .sim/bin) that runs in this process. */
  inProcess(name: string): boolean {
    return (name in standins().TOOLS || name === 'sysctl') && existsSync(join(this.simDir, 'bin', name));
  }

  async run(argv: string[], timeoutSeconds: number): Promise<LeanStepResult> {
    if (argv.length > 0 && this.inProcess(argv[0]!)) {
      const result = await this.runTool(argv);
      return { code: result.code, output: Buffer.from(toolOutput(result)) };
    }
    const known = leanSnippetOf(argv);
    if (known && known.snippet.tools.every((tool) => this.inProcess(tool))) {
      const result = await known.snippet.run(known.args, (toolArgv) => this.runTool(toolArgv));
      return { code: result.code, output: Buffer.from(result.output) };
    }
    this.flushCaches();
    const command = ['timeout', '-k', '5', String(timeoutSeconds), ...argv].map(shellQuote).join(' ');
    const result = await this.shell(`exec 2>&1; ${command}`);
    return { code: result.code, output: result.stdout };
  }

  /**
   * Runs a series of steps with the host's cached ip/ovs-vsctl answers rendered once at its end rather
   * than at every state change (sim-state.js holdCaches): in-process tools read the state itself, and a
   * step in a real shell renders them first.
   */
  async series<T>(fn: () => Promise<T>): Promise<T> {
    const release = standins().forHost(this.simDir).holdCaches();
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Brings the host's cached answers up to date before something outside this thread reads them. */
  private flushCaches(): void {
    standins().forHost(this.simDir).flushCaches();
  }

  async runTool(argv: string[]): Promise<ToolResult> {
    const [name = '', ...args] = argv;
    if (name === 'sysctl') return leanSysctl(this.rootDir, args);
    const { TOOLS, forHost, invoke } = standins();
    const io = { env: {}, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), dropConnection: async () => undefined };
    return invoke(TOOLS[name]!, forHost(this.simDir), args, io);
  }
}
