import { spawn } from 'node:child_process';
import type { ExecResult } from '@hostnet/ssh/host-session';

/** Options for one lab command. */
export interface RunOptions {
  timeoutMs?: number;
  stdin?: string | Buffer;
  /** The whole environment of the command; ours when absent. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs argv without a shell and collects its output. stdin is /dev/null unless given, so a daemon the
 * command leaves behind cannot hold our pipe open (the lab scripts also redirect their daemons' stdio).
 */
export function runCommand(argv: string[], options: RunOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    if (options.stdin !== undefined) {
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.stdin);
    }
  });
}

/** Like runCommand, but a non-zero exit becomes an error carrying the command's stderr. */
export async function runChecked(argv: string[], options: RunOptions = {}): Promise<ExecResult> {
  const result = await runCommand(argv, options);
  if (result.code !== 0) {
    throw new Error(`${argv.join(' ')} exited ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  }
  return result;
}
