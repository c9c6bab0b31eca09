/** Where and how to reach a host over SSH; the address may differ from CloudStack's (jump/OOB). */
export interface SshEndpoint {
  host: string;
  port: number;
  username: string;
  /** Path of the private key file; the key itself never travels in payloads or logs. */
  privateKeyPath: string;
  /** Run privileged commands through `sudo -n` when the user is not root. */
  useSudo: boolean;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  stdin?: string | Buffer;
  timeoutMs?: number;
  /**
   * Fail with SshCommandNotStartedError, and drop the connection, when the host has not started the
   * command within this time: how a connection kept open between runs is found dead before a run waits on it.
   */
  openTimeoutMs?: number;
}

/** One authenticated SSH connection to a host. */
export interface HostSession {
  /** Runs one shell command line (already quoted by the caller) and collects its output. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
  /** Exec round trips made so far on this session (set by the SSH adapter; fakes may omit it). */
  readonly roundTrips?: number;
}
