import { HostnetError } from '@hostnet/contracts';

/**
 * Typed SSH failures, classified at the adapter edge: `permanent` ones (bad credentials, host-key
 * problems) must stop retries; transient ones (timeouts, resets) may be retried with backoff.
 * Messages name the host and never carry key material.
 */
export abstract class SshError extends HostnetError {
  constructor(
    message: string,
    /** `host:port` (or the caller's hostLabel) the error is about. */
    readonly host: string,
  ) {
    super(message);
  }
}

/** The server refused every authentication attempt with our key (permanent). */
export class SshAuthError extends SshError {
  readonly permanent = true;
}

/** The private key file could not be read or parsed (permanent); names the path, never the content. */
export class SshKeyFileError extends SshError {
  readonly permanent = true;
}

/** The host presented a key different from the one pinned in known_hosts (permanent, even with TOFU). */
export class HostKeyMismatchError extends SshError {
  readonly permanent = true;
  constructor(
    host: string,
    readonly knownFingerprints: string[],
    readonly presentedFingerprint: string,
    knownHostsPath: string,
  ) {
    super(
      `host key mismatch for ${host}: known_hosts (${knownHostsPath}) pins ${knownFingerprints.join(', ')} ` +
        `but the host presented ${presentedFingerprint}; if the host was really reinstalled, remove its entry`,
      host,
    );
  }
}

/** The host is not in known_hosts and trust-on-first-use is off (permanent until an operator pins it). */
export class HostKeyUnknownError extends SshError {
  readonly permanent = true;
  constructor(host: string, readonly presentedFingerprint: string, knownHostsPath: string) {
    super(
      `host ${host} is not in known_hosts (${knownHostsPath}); it presented ${presentedFingerprint}. ` +
        `Add its key to the file or enable trust on first use`,
      host,
    );
  }
}

/** TCP connect + SSH handshake + auth did not finish within connectTimeoutMs (transient). */
export class SshConnectTimeoutError extends SshError {
  readonly permanent = false;
}

/** The connection could not be opened: refused, unreachable, or dropped before the handshake (transient). */
export class SshUnreachableError extends SshError {
  readonly permanent = false;
}

/** An established connection was reset or closed, e.g. in the middle of a command (transient). */
export class SshConnectionLostError extends SshError {
  readonly permanent = false;
}

/**
 * The connection was gone, or no command channel opened, or the host did not start the command within
 * the exec's open timeout (transient; the connection is then dropped). The command did not start, or in
 * the last case very likely not: a caller may run a command that is safe to repeat on a new connection.
 */
export class SshCommandNotStartedError extends SshConnectionLostError {}

/** A command did not finish within its timeout; its channel was closed (transient). */
export class SshCommandTimeoutError extends SshError {
  readonly permanent = false;
}
