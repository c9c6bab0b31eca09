import { constants as osConstants } from 'node:os';
import type { Client, ClientChannel } from 'ssh2';
import type { ExecOptions, ExecResult, HostSession } from './host-session';
import { SshCommandNotStartedError, SshCommandTimeoutError, SshConnectionLostError } from './ssh-errors';
import { shellQuote } from './shell-quote';

/** Settings a session needs from the connector. */
export interface SshHostSessionSettings {
  label: string;
  useSudo: boolean;
  commandTimeoutMs: number;
  hostKeyFingerprint: string;
}

/** A HostSession over one ssh2 connection; every exec is one SSH round trip and is counted. */
export class SshHostSession implements HostSession {
  /** Number of exec round trips made on this session (the bench reports it per host). */
  roundTrips = 0;
  /** SHA256 fingerprint of the host key that was verified at connect. */
  readonly hostKeyFingerprint: string;
  private lostReason: string | undefined;
  private readonly onLost = new Set<(reason: string) => void>();

  constructor(
    private readonly client: Client,
    private readonly settings: SshHostSessionSettings,
  ) {
    this.hostKeyFingerprint = settings.hostKeyFingerprint;
    client.on('error', (error: Error) => this.markLost(error.message));
    client.on('close', () => this.markLost('connection closed'));
  }

  /** True once the connection is gone (closed by us, reset, or dropped by the host). */
  get closed(): boolean {
    return this.lostReason !== undefined;
  }

  /** Runs `command` (wrapped in `sudo -n sh -c` when the endpoint says so), feeding stdin then EOF. */
  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    const { label } = this.settings;
    if (this.lostReason !== undefined) {
      return Promise.reject(new SshCommandNotStartedError(`SSH connection to ${label} is closed (${this.lostReason})`, label));
    }
    this.roundTrips += 1;
    const line = this.settings.useSudo ? `sudo -n sh -c ${shellQuote(command)}` : command;
    const timeoutMs = options.timeoutMs ?? this.settings.commandTimeoutMs;
    return new Promise<ExecResult>((resolve, reject) => {
      let channel: ClientChannel | undefined;
      let settled = false;
      const finish = (error: Error | undefined, result?: ExecResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(openTimer);
        this.onLost.delete(lost);
        if (error) reject(error);
        else resolve(result as ExecResult);
      };
      // Lost before the host answered the exec request: the command (very likely) never started.
      const lost = (reason: string): void =>
        finish(
          channel === undefined
            ? new SshCommandNotStartedError(`SSH connection to ${label} was lost before a command started (${reason})`, label)
            : new SshConnectionLostError(`SSH connection to ${label} was lost during a command (${reason})`, label),
        );
      this.onLost.add(lost);
      const timer = setTimeout(() => {
        finish(new SshCommandTimeoutError(`command on ${label} did not finish within ${timeoutMs} ms; its channel was closed`, label));
        try {
          channel?.signal('KILL');
          channel?.close();
        } catch {
          // the channel may already be gone; the timeout error stands
        }
      }, timeoutMs);
      const openTimer =
        options.openTimeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              finish(new SshCommandNotStartedError(`SSH connection to ${label} did not start a command within ${options.openTimeoutMs} ms; it was dropped`, label));
              this.markLost('no answer to a command request');
            }, options.openTimeoutMs);

      const started = (error: Error | undefined, stream: ClientChannel): void => {
        clearTimeout(openTimer);
        if (error) return finish(new SshCommandNotStartedError(`cannot open a command channel on ${label}: ${error.message}`, label));
        channel = stream;
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let exit: number | undefined;
        stream.on('data', (chunk: Buffer) => stdout.push(chunk));
        stream.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        stream.on('exit', (code: number | null, signal?: string) => {
          exit = code ?? signalExitCode(signal);
        });
        stream.on('error', () => undefined);
        stream.on('close', () => {
          if (exit === undefined) return lost('channel closed without an exit status');
          finish(undefined, {
            code: exit,
            stdout: Buffer.concat(stdout).toString('utf8'),
            stderr: Buffer.concat(stderr).toString('utf8'),
          });
        });
        if (options.stdin !== undefined) stream.end(options.stdin);
        else stream.end();
      };
      try {
        this.client.exec(line, started);
      } catch (error) {
        // ssh2 throws at once on a connection it already knows is down ("Not connected")
        finish(new SshCommandNotStartedError(`cannot open a command channel on ${label}: ${(error as Error).message}`, label));
        this.markLost((error as Error).message);
      }
    });
  }

  /** Closes the connection; pending commands fail with SshConnectionLostError. */
  async close(): Promise<void> {
    if (this.lostReason !== undefined) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
    this.markLost('closed by the caller');
  }

  private markLost(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    for (const notify of [...this.onLost]) notify(reason);
    this.client.destroy();
  }
}

function signalExitCode(signal: string | undefined): number {
  const number = signal ? (osConstants.signals as Record<string, number>)[`SIG${signal}`] : undefined;
  return number === undefined ? 255 : 128 + number;
}
