import { spawn } from 'node:child_process';
import type { ExecOptions, ExecResult, HostSession } from '@hostnet/ssh';

/**
 * A HostSession into a lab host without SSH (nsenter into its mount/uts/net namespaces, as
 * Lab.hostExec does), so jest can drive the worker's HostRunService from the root namespace, where
 * the lab addresses are not routable. Each command runs in /bin/sh like an SSH exec does.
 */
export class NsenterSession implements HostSession {
  constructor(private readonly pid: string) {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', ['-t', this.pid, '-m', '-u', '-n', '--', '/bin/sh', '-c', command], {
        env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`nsenter exec timed out after ${options.timeoutMs} ms`));
      }, options.timeoutMs ?? 60_000);
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
