#!/usr/bin/env node
import { CloudStackError } from '@hostnet/cloudstack';
import { loadEnvFile } from '@hostnet/config';
import { CliCommand, CliIo, CliUsageError, EXIT_FAILURE } from './cli-command';
import { closest } from './cli-flags';
import { RENDER_USAGE, renderCommand } from './commands/render.command';
import { LINT_EXIT, LINT_USAGE, lintCommand } from './commands/lint.command';
import { PLAN_USAGE, planCommand } from './commands/plan.command';
import { DEMO_USAGE, demoCommand } from './demo/demo.command';
import { RESOLVE_USAGE, resolveCommand } from './commands/resolve.command';
import { TOPOLOGY_USAGE, topologyCommand } from './commands/topology.command';
import { RELABEL_USAGE, relabelCommand } from './commands/relabel.command';
import { hostnetVersion } from './version';
import { HOSTS_USAGE, hostsCommand } from './commands/hosts.command';
import { HOST_USAGE, hostCommand } from './commands/host.command';
import { CONFIGURE_USAGE, configureCommand } from './commands/configure.command';
import { ADD_HOST_USAGE, addHostCommand } from './commands/add-host.command';
import { printable } from './terminal-text';

/** A registered command with its one-line usage. */
interface CommandEntry {
  run: CliCommand;
  usage: string;
  /**
   * Reads `.env` (or the file HOSTNET_ENV_FILE names) first, as api and worker do, the environment winning:
   * the commands that reach CloudStack or the api. Not the demo, which makes its own zone and environment.
   */
  readsEnvFile?: boolean;
  /** The exit code of a failure outside the command's own handling (a .env it cannot read): lint and plan keep 2 for findings and changes. */
  failureExit?: number;
}

/**
 * Every `hostnet <command>`. Register new commands here (name → handler + usage);
 * `render` and the others go below `topology`.
 */
export const COMMANDS: Record<string, CommandEntry> = {
  topology: { run: topologyCommand(), usage: TOPOLOGY_USAGE, readsEnvFile: true },
  lint: { run: lintCommand(), usage: LINT_USAGE, readsEnvFile: true, failureExit: LINT_EXIT.input },
  plan: { run: planCommand(), usage: PLAN_USAGE, readsEnvFile: true, failureExit: 1 },
  render: { run: renderCommand(), usage: RENDER_USAGE, readsEnvFile: true },
  demo: { run: demoCommand(), usage: DEMO_USAGE },
  resolve: { run: resolveCommand(), usage: RESOLVE_USAGE, readsEnvFile: true },
  relabel: { run: relabelCommand(), usage: RELABEL_USAGE, readsEnvFile: true },
  hosts: { run: hostsCommand(), usage: HOSTS_USAGE, readsEnvFile: true },
  host: { run: hostCommand(), usage: HOST_USAGE, readsEnvFile: true },
  configure: { run: configureCommand(), usage: CONFIGURE_USAGE, readsEnvFile: true },
  'add-host': { run: addHostCommand(), usage: ADD_HOST_USAGE, readsEnvFile: true },
};

/** Longer usages are not appended to an error, only named. */
const LONG_USAGE = 300;

const PROCESS_IO: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  get tty() {
    return process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : undefined;
  },
};

/** Runs `hostnet <command> [args]` and returns the exit code; failures are one stderr line. */
export async function runCli(argv: string[], io: CliIo = PROCESS_IO, commands = COMMANDS): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText(commands));
    return 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`hostnet ${hostnetVersion()}\n`);
    return 0;
  }
  const entry = name === undefined ? undefined : commands[name];
  if (entry && (rest.includes('--help') || rest.includes('-h'))) {
    io.stdout(`usage: ${entry.usage}\n`);
    return 0;
  }
  if (!entry) {
    const known = Object.keys(commands).join(', ');
    const meant = name === undefined ? undefined : closest(name, Object.keys(commands));
    const unknown = name === undefined ? 'no command given' : `unknown command ${JSON.stringify(name)}${meant ? ` (did you mean ${meant}?)` : ''}`;
    io.stderr(`hostnet: ${unknown}; commands: ${known}\n`);
    return EXIT_FAILURE;
  }
  try {
    if (entry.readsEnvFile) loadEnvFile();
    return await entry.run(rest, io);
  } catch (error) {
    // A usage that would bury the one-line error (relabel's runs to hundreds of characters) is pointed at instead.
    const usage = !(error instanceof CliUsageError) ? '' : entry.usage.length > LONG_USAGE ? ` (usage: hostnet ${name} --help)` : ` (usage: ${entry.usage})`;
    io.stderr(`hostnet ${name}: ${describe(error)}${usage}\n`);
    return entry.failureExit ?? EXIT_FAILURE;
  }
}

/** `hostnet --help`: every command with its usage. */
export function helpText(commands: Record<string, CommandEntry>): string {
  const usages = Object.entries(commands).map(([name, entry]) => `  ${name}\n    ${entry.usage.replace(/\n/g, '\n    ')}`);
  return `usage: hostnet <command> [--option value ...]   (hostnet <command> --help for one command; hostnet --version)\n\ncommands:\n${usages.join('\n')}\n`;
}

function describe(error: unknown): string {
  // CloudStack errors are already secret-free; anything else is reduced to its message. Names in it come from
  // CloudStack and the hosts (api's 404s, hosts' unknown zone): no control character reaches the terminal.
  const message = error instanceof CloudStackError || error instanceof Error ? error.message : String(error);
  // a list of problems (api's 400 naming several hosts) keeps a line for each; any other line break is a space
  return message
    .split(/\n(?= {2}- )/)
    .map((line) => printable(line.replace(/\s*\n\s*/g, ' ')))
    .join('\n');
}

if (require.main === module) {
  // A reader that stops early (`… --watch | head -1`) closes the pipe: that ends the command quietly, as for
  // any Unix tool, instead of an unhandled EPIPE with a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
