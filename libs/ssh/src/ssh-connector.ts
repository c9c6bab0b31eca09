import { readFile } from 'node:fs/promises';
import { Client, utils, type AuthHandlerMiddleware, type ParsedKey } from 'ssh2';
import { withDecodedKey } from './decoded-key';
import { fileStamp } from './file-stamp';
import type { SshEndpoint } from './host-session';
import { sshFingerprint } from './known-hosts';
import { KnownHostsStore } from './known-hosts.store';
import {
  HostKeyMismatchError,
  HostKeyUnknownError,
  SshAuthError,
  SshConnectTimeoutError,
  SshError,
  SshKeyFileError,
  SshUnreachableError,
} from './ssh-errors';
import { SshHostSession } from './ssh-host-session';

/** How to verify the host and how long to wait. */
export interface SshConnectOptions {
  /** OpenSSH-format known_hosts file (plain or hashed entries); created when TOFU records a key. */
  knownHostsPath: string;
  /** Record unknown hosts' keys on first connect; a changed key is refused regardless. */
  trustOnFirstUse: boolean;
  /** Budget for TCP connect + handshake + authentication. */
  connectTimeoutMs: number;
  /** Default per-command timeout (exec's timeoutMs overrides it). */
  commandTimeoutMs: number;
  /** Name used in errors and logs; defaults to `host:port`. */
  hostLabel?: string;
}

/** One connect attempt as it ended: `ok`, or the SshError's name (SshConnectTimeoutError, …). */
export interface SshConnectEvent {
  result: string;
  durationMs: number;
}

/** Told about every connect, e.g. for a latency histogram; must not throw. */
export type SshConnectObserver = (event: SshConnectEvent) => void;

/** Where an operator looks when a host cannot be reached: its sshd, and the address the worker uses. */
const REACH_FIX = "fix: check that sshd answers there, or give the host's out-of-band address in HOSTNET_SSH_ENDPOINTS (the worker's)";

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Opens authenticated, host-verified SSH sessions; the only client-side user of ssh2. */
export class SshConnector {
  constructor(private readonly observer: SshConnectObserver = () => undefined) {}

  /** Connects with key auth and strict known_hosts checking; failures are typed SshError subclasses. */
  async connect(endpoint: SshEndpoint, options: SshConnectOptions): Promise<SshHostSession> {
    const started = Date.now();
    const report = (result: string) => {
      try {
        this.observer({ result, durationMs: Date.now() - started });
      } catch {
        // Metrics must never fail a connect.
      }
    };
    try {
      const session = await this.open(endpoint, options);
      report('ok');
      return session;
    } catch (error) {
      report(error instanceof Error ? error.name : 'error');
      throw error;
    }
  }

  private async open(endpoint: SshEndpoint, options: SshConnectOptions): Promise<SshHostSession> {
    const label = options.hostLabel ?? `${endpoint.host}:${endpoint.port}`;
    const privateKey = await readPrivateKey(endpoint.privateKeyPath, label);
    const store = new KnownHostsStore(options.knownHostsPath);
    let hostKeyError: SshError | undefined;
    let fingerprint = '';

    const hostVerifier = (key: Buffer, verify: (valid: boolean) => void): void => {
      fingerprint = sshFingerprint(key);
      verifyHostKey(store, endpoint, key, options, label).then(
        (error) => {
          hostKeyError = error;
          verify(error === undefined);
        },
        (error: Error) => {
          hostKeyError = new HostKeyUnknownError(label, `${fingerprint} (known_hosts unreadable: ${error.message})`, store.path);
          verify(false);
        },
      );
    };

    const client = new Client();
    return new Promise<SshHostSession>((resolve, reject) => {
      let settled = false;
      const fail = (error: SshError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(backstop);
        client.destroy();
        reject(error);
      };
      // ssh2's readyTimeout covers the handshake; this backstop also bounds a slow TCP connect or verifier.
      const backstop = setTimeout(
        () => fail(new SshConnectTimeoutError(`SSH connect to ${label} timed out after ${options.connectTimeoutMs} ms; ${REACH_FIX}`, label)),
        options.connectTimeoutMs + 250,
      );
      client.on('ready', () => {
        if (settled) return;
        settled = true;
        clearTimeout(backstop);
        resolve(new SshHostSession(client, { label, useSudo: endpoint.useSudo, commandTimeoutMs: options.commandTimeoutMs, hostKeyFingerprint: fingerprint }));
      });
      client.on('error', (error: Error & { level?: string; code?: string }) =>
        fail(hostKeyError ?? classifyConnectError(error, endpoint, options, label)),
      );
      // Every session ends with a close: its error (and stack) is only built for one that never got ready.
      client.on('close', () => {
        if (!settled) fail(hostKeyError ?? new SshUnreachableError(`SSH connection to ${label} closed before it was ready; ${REACH_FIX}`, label));
      });
      client.connect({
        host: endpoint.host,
        port: endpoint.port,
        username: endpoint.username,
        authHandler: publicKeyOnly(endpoint.username, privateKey),
        readyTimeout: options.connectTimeoutMs,
        hostVerifier,
      });
    });
  }
}

/**
 * Offers the key once and nothing else. ssh2's default first tries method `none` (a round trip the server
 * always refuses here) and parses the key file again on every connect; a fleet run connects twice per host.
 */
function publicKeyOnly(username: string, key: ParsedKey): AuthHandlerMiddleware {
  let offered = false;
  return () => {
    if (offered) return false;
    offered = true;
    return { type: 'publickey', username, key };
  };
}

/** What a key file that parsePrivateKey refuses is not. */
export const NOT_A_PRIVATE_KEY = 'is not a usable unencrypted private key';

/** The file's private key as ssh2 parses it, or undefined when it holds none ssh2 can sign with (a public key, an encrypted one, garbage). */
export function parsePrivateKey(text: Buffer): ParsedKey | undefined {
  const parsed = utils.parseKey(text);
  // OpenSSH's format holds one key; ssh2 answers a list for it.
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key === undefined || key instanceof Error || !key.isPrivateKey() ? undefined : key;
}

/** Keys already read and parsed, by path, with the stat they were read at: a connect costs one stat. */
const keyCache = new Map<string, { stamp: string; key: ParsedKey }>();

async function readPrivateKey(path: string, label: string): Promise<ParsedKey> {
  const unreadable = (error: unknown) =>
    new SshKeyFileError(`cannot read the SSH private key file ${path} for ${label} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, label);
  let stamp: string;
  try {
    stamp = fileStamp(path).version;
  } catch (error) {
    throw unreadable(error);
  }
  const cached = keyCache.get(path);
  if (cached?.stamp === stamp) return cached.key;
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (error) {
    throw unreadable(error);
  }
  const key = parsePrivateKey(text);
  if (!key) throw new SshKeyFileError(`the SSH private key file ${path} for ${label} ${NOT_A_PRIVATE_KEY}`, label);
  const decoded = withDecodedKey(key);
  keyCache.set(path, { stamp, key: decoded });
  return decoded;
}

async function verifyHostKey(
  store: KnownHostsStore,
  endpoint: SshEndpoint,
  key: Buffer,
  options: SshConnectOptions,
  label: string,
): Promise<SshError | undefined> {
  const presented = sshFingerprint(key);
  let verdict = await store.check(endpoint.host, endpoint.port, key);
  if (verdict.kind === 'unknown' && options.trustOnFirstUse) verdict = await store.recordIfUnknown(endpoint.host, endpoint.port, key);
  if (verdict.kind === 'trusted') return undefined;
  if (verdict.kind === 'mismatch') return new HostKeyMismatchError(label, verdict.knownFingerprints, presented, store.path);
  return new HostKeyUnknownError(label, presented, store.path);
}

function classifyConnectError(
  error: Error & { level?: string; code?: string },
  endpoint: SshEndpoint,
  options: SshConnectOptions,
  label: string,
): SshError {
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT') {
    return new SshConnectTimeoutError(`SSH connect to ${label} timed out after ${options.connectTimeoutMs} ms; ${REACH_FIX}`, label);
  }
  if (error.level === 'client-authentication') {
    return new SshAuthError(
      `SSH authentication to ${label} as ${endpoint.username} with key file ${endpoint.privateKeyPath} was refused; fix: put that key's public half in ~${endpoint.username}/.ssh/authorized_keys on the host (HOSTNET_SSH_USER other than root needs passwordless sudo)`,
      label,
    );
  }
  if (error.code && UNREACHABLE_CODES.has(error.code)) return new SshUnreachableError(`cannot reach ${label} over SSH (${error.code}); ${REACH_FIX}`, label);
  // ssh2's words for a peer that accepted TCP and closed before its SSH banner: sshd shedding load
  // (MaxStartups), a TCP wrapper or firewall, or no sshd on that port.
  if (/before handshake/i.test(error.message)) {
    return new SshUnreachableError(
      `${label} accepted the TCP connection and closed it before the SSH handshake; fix: check that sshd listens there and is not refusing connections (its MaxStartups, a TCP wrapper or firewall), or give the host's out-of-band address in HOSTNET_SSH_ENDPOINTS (the worker's)`,
      label,
    );
  }
  // sshd answered (a handshake or algorithm error): the reach hint would send the operator the wrong way
  return new SshUnreachableError(`SSH connection to ${label} failed: ${error.message}`, label);
}
