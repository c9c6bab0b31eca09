import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, HostSession } from '@hostnet/ssh';

/**
 * A HostSession that runs each command with the real /bin/sh in a temp root dir (cwd = root,
 * HOSTNET_ROOT = root, the root's .sim/bin first on PATH) — the same contract as a simulated host,
 * without SSH.
 */
export class LocalHostSession implements HostSession {
  commands: string[] = [];

  constructor(private readonly root: string) {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push(command);
    return new Promise((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', command], {
        cwd: this.root,
        env: { PATH: `${this.root}/.sim/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, HOSTNET_ROOT: this.root },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`local exec timed out after ${options.timeoutMs} ms`));
      }, options.timeoutMs ?? 30_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, stdout, stderr });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.stdin ?? '');
    });
  }

  async close(): Promise<void> {
    return undefined;
  }
}
