import { randomBytes } from 'node:crypto';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { Server as SshServer, utils, type Connection, type ParsedKey, type ServerChannel } from 'ssh2';
import { withDecodedKey } from '@hostnet/ssh';
import type { ExecSpawner } from './kvm-host-exec-spawner';
import type { KvmHostFaults } from './kvm-host-faults';
import { LeanHostModel } from './lean/lean-host-model';

/** What the SSH side of a simulated host needs. */
export interface KvmHostSshServerOptions {
  rootDir: string;
  hostKey: string;
  authorizedKeys: ParsedKey[];
  /** Environment of every command (PATH, HOSTNET_ROOT, …); connection ids are added per exec. */
  env: Record<string, string>;
  faults: KvmHostFaults;
  /** Read at every new TCP connection: false drops it before the SSH handshake. */
  isReachable: () => boolean;
  /** Starts every exec's `sh -c` (from a small process: see kvm-host-exec-spawner.ts). */
  spawner: ExecSpawner;
  /** The host answers the worker's scripts in this process (lean/lean-host-model.ts) instead of a shell. */
  lean?: boolean;
}

/** Counters for round-trip assertions. */
export interface KvmHostSshStats {
  /** TCP connections accepted (including refused ones). */
  connections: number;
  /** Connections dropped before the handshake because the host was unreachable. */
  refusedConnections: number;
  /** exec requests received (each is one client round trip). */
  execs: number;
  /** execs the lean host model answered without a shell (hostModel 'lean'). */
  leanAnswers: number;
}

/**
 * ssh2 Server speaking for one simulated host: public-key auth against authorized keys, every exec run by
 * a real /bin/sh in the host's root directory (started by the exec spawner). Connections are accepted on our own TCP server and
 * injected into ssh2, so an "unreachable" host can drop them right after accept.
 */
export class KvmHostSshServer {
  readonly stats: KvmHostSshStats = { connections: 0, refusedConnections: 0, execs: 0, leanAnswers: 0 };
  private ssh: SshServer;
  private readonly tcp: NetServer;
  private readonly control: NetServer;
  private readonly controlName = `hostnet-sim-${randomBytes(8).toString('hex')}`;
  private readonly sockets = new Map<string, Socket>();
  private nextConn = 1;
  private readonly lean?: LeanHostModel;

  constructor(private readonly options: KvmHostSshServerOptions) {
    this.ssh = this.createSsh(options.hostKey);
    this.tcp = createServer((socket) => this.accept(socket));
    this.control = createServer((socket) => this.serveControl(socket));
    if (options.lean) this.lean = new LeanHostModel(options.rootDir, (options.env.PATH ?? '').split(':'), (command) => this.runCaptured(command), () => options.faults.armedInCommands);
  }

  /** Listens on host:port (0 = ephemeral) and returns the bound port. */
  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.control.once('error', reject);
      this.control.listen(`\0${this.controlName}`, resolve);
    });
    await new Promise<void>((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(port, host, resolve);
    });
    const address = this.tcp.address();
    if (address === null || typeof address === 'string') throw new Error('simulated host: unexpected listen address');
    return address.port;
  }

  /** New connections use this host key from now on; established ones keep theirs. */
  setHostKey(hostKey: string): void {
    this.ssh = this.createSsh(hostKey);
  }

  /** Connections currently open. */
  get activeConnections(): number {
    return this.sockets.size;
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    this.lean?.stop();
    for (const socket of this.sockets.values()) socket.destroy();
    await Promise.all([this.tcp, this.control].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }

  private accept(socket: Socket): void {
    this.stats.connections += 1;
    socket.on('error', () => undefined);
    if (!this.options.isReachable()) {
      // Unreachable: accept then drop at once, so clients fail fast with a connection error, never hang.
      this.stats.refusedConnections += 1;
      socket.destroy();
      return;
    }
    const id = String(this.nextConn++);
    this.sockets.set(id, socket);
    socket.on('close', () => this.sockets.delete(id));
    (socket as Socket & { hostnetConnId?: string }).hostnetConnId = id;
    this.ssh.injectSocket(socket);
  }

  private createSsh(hostKey: string): SshServer {
    return new SshServer({ hostKeys: [{ key: decodedHostKey(hostKey) }] }, (client: Connection) => {
      const connId = (client as unknown as { _sock?: Socket & { hostnetConnId?: string } })._sock?.hostnetConnId ?? '0';
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => {
        if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
        const allowed = this.options.authorizedKeys.find((k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data));
        if (!allowed) return ctx.reject(['publickey']);
        if (!ctx.signature) return ctx.accept(); // key query: "would you accept this key?"
        return allowed.verify(ctx.blob as Buffer, ctx.signature, ctx.hashAlgo) === true ? ctx.accept() : ctx.reject(['publickey']);
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('exec', (accept, _reject, info) => void this.exec(accept(), info.command, connId));
          session.on('pty', (_accept, reject) => reject?.());
          session.on('shell', (_accept, reject) => reject());
          session.on('subsystem', (_accept, reject) => reject());
        });
      });
    });
  }

  private async exec(channel: ServerChannel, command: string, connId: string): Promise<void> {
    this.stats.execs += 1;
    let channelClosed = false;
    channel.on('close', () => (channelClosed = true));
    const { faults } = this.options;
    if (faults.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    // a client gone during the slow start (its socket closed; the channel may never hear of it) starts nothing
    if (channelClosed || !this.sockets.has(connId)) return;
    if (faults.consumeFailCommand(command)) {
      channel.stderr.write('simulated failure: this command was set to fail by the failCommand fault\n');
      channel.exit(1);
      channel.end();
      return;
    }
    const script = this.lean ? LeanHostModel.scriptOf(command) : undefined;
    if (!script || !this.lean) return this.runInShell(channel, command, connId);
    const stdin = await readToEnd(channel);
    if (channelClosed) return;
    const asked = script === 'agent-restart' ? this.lean.answerAgentRestart(command) : this.lean.answer(script, stdin.toString('utf8'));
    const answer = await asked.catch((error: unknown) => ({
      stdout: '',
      stderr: `lean host model: ${error instanceof Error ? error.message : String(error)}\n`,
      code: 1,
    }));
    if (channelClosed) return;
    if (!answer) return this.runInShell(channel, command, connId, stdin);
    this.stats.leanAnswers += 1;
    if (answer.stderr) channel.stderr.write(answer.stderr);
    channel.write(answer.stdout);
    channel.exit(answer.code);
    channel.end();
  }

  /** Runs a command line in a real shell in the host's environment, stdin empty, and collects what it printed. */
  private runCaptured(command: string): Promise<{ code: number; stdout: Buffer; stderr: Buffer }> {
    return new Promise((resolve) => {
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      const running = this.options.spawner.run(
        command,
        { cwd: this.options.rootDir, env: { ...this.options.env, HOSTNET_SIM_CONN: '0', HOSTNET_SIM_CONTROL: this.controlName } },
        {
          stdout: (data) => stdout.push(data),
          stderr: (data) => stderr.push(data),
          error: (message) => resolve({ code: 127, stdout: Buffer.alloc(0), stderr: Buffer.from(`sh: ${message}\n`) }),
          close: (code) => resolve({ code: code ?? 255, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) }),
        },
      );
      running.stdin.end();
    });
  }

  /** Runs the command in a real shell (the exec spawner); `stdin`, when given, was already read from the channel. */
  private runInShell(channel: ServerChannel, command: string, connId: string, stdin?: Buffer): void {
    let channelClosed = false;
    channel.on('close', () => (channelClosed = true));
    // 'close' comes once stdout/stderr reached EOF, as sshd waits: a background job holding the channel's
    // stdout keeps the command "running" until it closes it.
    // A client slower than the command's output holds it back, as a pipe would.
    const forward = (out: Writable, data: Buffer): void => {
      if (channelClosed || out.write(data)) return;
      running.pauseOutput();
      out.once('drain', () => running.resumeOutput());
    };
    const running = this.options.spawner.run(
      command,
      { cwd: this.options.rootDir, env: { ...this.options.env, HOSTNET_SIM_CONN: connId, HOSTNET_SIM_CONTROL: this.controlName } },
      {
        stdout: (data) => forward(channel, data),
        stderr: (data) => forward(channel.stderr, data),
        error: (message) => {
          if (channelClosed) return;
          channel.stderr.write(`sh: ${message}\n`);
          channel.exit(127);
          channel.end();
        },
        close: (code, signal) => {
          if (channelClosed) return;
          if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
          else channel.exit(code ?? 255);
          channel.end();
        },
      },
    );
    if (stdin) running.stdin.end(stdin);
    else channel.pipe(running.stdin);
    // Like sshd without a pty: when the channel goes away the command keeps running, its pipes are closed.
    channel.on('close', () => running.detach());
  }

  private serveControl(socket: Socket): void {
    socket.on('error', () => undefined);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      try {
        const request = JSON.parse(buffer.slice(0, newline)) as { op?: string; conn?: string };
        if (request.op === 'drop' && request.conn) this.sockets.get(request.conn)?.destroy();
      } finally {
        socket.end('ok\n');
      }
    });
  }
}

/** The host's private key, decoded once for the signature every handshake makes (see withDecodedKey). */
function decodedHostKey(hostKey: string): ParsedKey {
  const parsed = utils.parseKey(hostKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || key instanceof Error) throw new Error(`the simulated host's key does not parse: ${key?.message ?? 'no key'}`);
  return withDecodedKey(key);
}

/** Parses authorized keys (OpenSSH public key lines); a bad line is an error naming its index. */
export function parseAuthorizedKeys(lines: string[]): ParsedKey[] {
  return lines.map((line, index) => {
    const parsed = utils.parseKey(line.trim());
    if (parsed instanceof Error) throw new Error(`authorizedKeys[${index}] is not an OpenSSH public key line: ${parsed.message}`);
    return withDecodedKey(parsed);
  });
}

/** The channel's input up to its EOF (the worker sends a script's whole stdin, then EOF). */
function readToEnd(channel: ServerChannel): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    channel.on('data', (chunk: Buffer) => chunks.push(chunk));
    channel.once('end', () => resolve(Buffer.concat(chunks)));
    channel.once('close', () => resolve(Buffer.concat(chunks)));
  });
}
