import { shellJoin } from '@hostnet/ssh';

/**
 * The largest command line a script may make. An exec request travels in one SSH packet: OpenSSH's sshd
 * takes up to 256 KiB, but ssh2's server (the simulated hosts) drops the whole connection, with no
 * message, at 35,000 bytes. The margin is for the packet's own fields.
 */
export const MAX_SCRIPT_COMMAND_BYTES = 32 * 1024;

/**
 * The script without its comment and blank lines and without indentation. Comments and indentation are
 * for readers of this repository; every byte of the script is sent on every run (the apply script holds
 * the restore and boot scripts, each with the shared functions), and the apply script fills one SSH exec
 * request. No script has a line that starts with `#` or with blanks that matter inside a quoted string or
 * a here-document, so this changes no command.
 */
export function compactScript(script: string): string {
  return script
    .split('\n')
    .map((line) => line.trimStart())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .join('\n')
    .concat('\n');
}

/** The command line that runs one static on-host script (its dynamic input goes on stdin, or in validated `args`). */
export function scriptCommand(name: string, script: string, ...args: string[]): string {
  const command = shellJoin(['sh', '-c', compactScript(script), `hostnet-${name}`, ...args]);
  const bytes = Buffer.byteLength(command);
  if (bytes > MAX_SCRIPT_COMMAND_BYTES) {
    throw new Error(`the ${name} script's command is ${bytes} bytes, over the ${MAX_SCRIPT_COMMAND_BYTES} one SSH exec request may carry: shorten the script`);
  }
  return command;
}
