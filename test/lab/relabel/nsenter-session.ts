import type { ExecOptions, ExecResult, HostSession } from '@hostnet/ssh';
import { runCommand } from '../lab-process';

/** A clean environment like an SSH exec's: LANG=C keeps the tools' output parseable. */
const ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C' };

/**
 * A HostSession into a lab host without SSH (nsenter into its mount/uts/net namespaces, as
 * Lab.hostExec does), so jest can drive the worker's HostRunService from the root namespace, where
 * the lab addresses are not routable. Each command runs in /bin/sh like an SSH exec does.
 */
export class NsenterSession implements HostSession {
  constructor(private readonly pid: string) {}

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return runCommand(['nsenter', '-t', this.pid, '-m', '-u', '-n', '--', '/bin/sh', '-c', command], {
      timeoutMs: options.timeoutMs ?? 60_000,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      env: ENV,
    });
  }

  async close(): Promise<void> {
    return undefined;
  }
}
