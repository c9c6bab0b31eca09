import { ACTIVATION_SNIPPETS as S } from '@hostnet/render';

/** What a stand-in tool run in this process printed, and its exit code. */
export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}
export type RunTool = (argv: string[]) => Promise<ToolResult>;

/**
 * One activation snippet answered in this process, as `sh -c SNIPPET sh ARGS…` would run it under
 * run_step's `exec 2>&1`: `output` is what the shell's one output pipe receives (a stand-in client
 * prints a tool's stderr before its stdout), `code` the shell's exit code.
 */
interface LeanSnippet {
  /** The tools it runs: each must be a stand-in this process runs, or the snippet goes to a real shell. */
  tools: string[];
  /** How many arguments the snippet reads (`$1`), or undefined for any number (`for i`). */
  arity?: number;
  run(args: string[], tool: RunTool): Promise<{ code: number; output: string }>;
}

/** What a stand-in client prints of a tool's answer: its stderr before its stdout (client.bash). */
export const toolOutput = (r: ToolResult): string => r.stderr + r.stdout;
const addrFlush = (dev: string) => ['ip', '-4', 'addr', 'flush', 'dev', dev];
const routeFlush = (dev: string) => ['ip', '-4', 'route', 'flush', 'dev', dev];

/** `ifdown [--force] "$1" || true[; ip -4 addr flush dev "$1" 2>/dev/null || true]` */
const ifdownThen = (force: boolean, flush: boolean): LeanSnippet => ({
  tools: flush ? ['ifdown', 'ip'] : ['ifdown'],
  arity: 1,
  async run([dev], tool) {
    let output = toolOutput(await tool(['ifdown', ...(force ? ['--force'] : []), dev!]));
    if (flush) output += (await tool(addrFlush(dev!))).stdout;
    return { code: 0, output };
  },
});

/** `ip -4 … flush dev "$1" 2>/dev/null; …` in order (stdout kept, exit codes ignored), then `exec ifup "$1"` or `true`. */
const flushesThen = (flushes: ((dev: string) => string[])[], ifup: boolean): LeanSnippet => ({
  tools: ifup ? ['ip', 'ifup'] : ['ip'],
  arity: 1,
  async run([dev], tool) {
    let output = '';
    for (const flush of flushes) output += (await tool(flush(dev!))).stdout;
    if (!ifup) return { code: 0, output };
    const up = await tool(['ifup', dev!]);
    return { code: up.code, output: output + toolOutput(up) };
  },
});

/** Every snippet of ACTIVATION_SNIPPETS, by its exact text: a text not listed here runs in a real shell. */
export const LEAN_SNIPPETS: ReadonlyMap<string, LeanSnippet> = new Map<string, LeanSnippet>([
  [S.flushThenIfup, flushesThen([addrFlush], true)],
  [S.flushRoutesThenIfup, flushesThen([routeFlush, addrFlush], true)],
  [S.flushRoutes, flushesThen([routeFlush, addrFlush], false)],
  [S.ifdown, ifdownThen(false, false)],
  [S.ifdownForce, ifdownThen(true, false)],
  [S.ifdownFlush, ifdownThen(false, true)],
  [S.ifdownForceFlush, ifdownThen(true, true)],
  [
    S.forget,
    {
      tools: ['ifdown'],
      async run(names, tool) {
        for (const name of names) await tool(['ifdown', '--force', '-i', '/dev/null', name]);
        return { code: 0, output: '' };
      },
    },
  ],
]);

/** The snippet an activation step's argv runs, with its arguments, when it is one of LEAN_SNIPPETS. */
export function leanSnippetOf(argv: string[]): { snippet: LeanSnippet; args: string[] } | undefined {
  const [sh, dashC, text = '', name, ...args] = argv;
  if (sh !== 'sh' || dashC !== '-c' || name !== 'sh') return undefined;
  const snippet = LEAN_SNIPPETS.get(text);
  if (!snippet || (snippet.arity !== undefined && args.length !== snippet.arity)) return undefined;
  return { snippet, args };
}
