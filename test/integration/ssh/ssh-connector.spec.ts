import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { Server as SshServer, utils } from 'ssh2';
import {
  SshAuthError,
  SshCommandTimeoutError,
  SshConnectTimeoutError,
  SshConnectionLostError,
  SshConnector,
  generateEd25519KeyPair,
  SshKeyFileError,
  SshUnreachableError,
  type SshConnectOptions,
} from '@hostnet/ssh';
import { SimulatedKvmHost } from '../../../apps/simulator/src/kvm-host';
import { keyBody, SshTestKit } from './ssh-test-kit';

describe('SshConnector against a simulated KVM host', () => {
  const kit = new SshTestKit();
  const connector = new SshConnector();
  let host: SimulatedKvmHost;
  const errors: Error[] = [];
  const opts = (over: Partial<SshConnectOptions> = {}): SshConnectOptions => ({
    knownHostsPath: kit.pinnedKnownHosts(host),
    trustOnFirstUse: false,
    connectTimeoutMs: 3000,
    commandTimeoutMs: 5000,
    ...over,
  });
  const caught = async (promise: Promise<unknown>): Promise<Error> => {
    try {
      await promise;
    } catch (error) {
      errors.push(error as Error);
      return error as Error;
    }
    throw new Error('expected a rejection');
  };

  beforeAll(async () => {
    host = await SimulatedKvmHost.start({ name: 'kvm-conn', persona: 'ubuntu2204', authorizedKeys: [kit.publicKey] });
  });
  afterAll(async () => {
    try {
      await host?.stop();
    } finally {
      kit.cleanup();
    }
  });
  afterEach(() => host.faults.clear());

  it('connects with key auth, runs commands in the host root and counts round trips', async () => {
    const session = await connector.connect(kit.endpoint(host), opts());
    const before = host.stats.execs;
    const osRelease = await session.exec('. "$HOSTNET_ROOT/etc/os-release" && echo "$ID $VERSION_ID" && pwd');
    expect(osRelease).toEqual({ code: 0, stdout: `ubuntu 22.04\n${host.rootDir}\n`, stderr: '' });
    const failed = await session.exec('echo oops >&2; exit 3');
    expect(failed).toEqual({ code: 3, stdout: '', stderr: 'oops\n' });
    expect(session.roundTrips).toBe(2);
    expect(host.stats.execs - before).toBe(2);
    expect(session.hostKeyFingerprint).toBe(host.hostKeyFingerprint);
    await session.close();
    expect(session.closed).toBe(true);
    await expect(session.exec('true')).rejects.toBeInstanceOf(SshConnectionLostError);
  });

  it('delivers stdin, then EOF', async () => {
    const session = await connector.connect(kit.endpoint(host), opts());
    const payload = 'line one\nünïcödé line two\n'.repeat(2000);
    await expect(session.exec('cat', { stdin: payload })).resolves.toEqual({ code: 0, stdout: payload, stderr: '' });
    await expect(session.exec('wc -c', { stdin: Buffer.from([1, 2, 3]) })).resolves.toMatchObject({ stdout: '3\n' });
    await expect(session.exec('cat')).resolves.toMatchObject({ code: 0, stdout: '' });
    await session.close();
  });

  it('wraps commands in `sudo -n sh -c` when the endpoint says so', async () => {
    const session = await connector.connect(kit.endpoint(host, { username: 'deploy', useSudo: true }), opts());
    const command = `printf '%s|' "it's" "$HOSTNET_ROOT" | cat`;
    const result = await session.exec(command);
    expect(result).toEqual({ code: 0, stdout: `it's|${host.rootDir}|`, stderr: '' });
    const log = readFileSync(join(host.rootDir, '.sim', 'sudo.log'), 'utf8').trim().split('\n');
    expect(JSON.parse(log[log.length - 1] as string)).toEqual(['-n', 'sh', '-c', command]);
    await session.close();
  });

  it('times a command out, closing only its channel', async () => {
    const session = await connector.connect(kit.endpoint(host), opts());
    const started = Date.now();
    const error = await caught(session.exec('sleep 5', { timeoutMs: 300 }));
    expect(error).toBeInstanceOf(SshCommandTimeoutError);
    expect((error as SshCommandTimeoutError).permanent).toBe(false);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(session.exec('echo still here')).resolves.toMatchObject({ stdout: 'still here\n' });
    await session.close();
  });

  it('refuses an unknown client key with a permanent SshAuthError', async () => {
    const other = new SshTestKit();
    try {
      const error = await caught(connector.connect(other.endpoint(host), opts()));
      expect(error).toBeInstanceOf(SshAuthError);
      expect((error as SshAuthError).permanent).toBe(true);
      expect(error.message).toContain(other.keyPath);
      expect(error.message).toMatch(/; fix: put that key's public half in ~root\/\.ssh\/authorized_keys on the host/);
      expect(error.message).not.toContain(keyBody(other.privateKey));
    } finally {
      other.cleanup();
    }
  });

  it('offers only its key: no `none` attempt first, one key query and one signed request per connect', async () => {
    const methods: string[] = [];
    const server = new SshServer({ hostKeys: [generateEd25519KeyPair('auth-probe').privateKey] }, (client) => {
      client.on('authentication', (ctx) => {
        methods.push(ctx.method === 'publickey' ? `publickey${ctx.signature ? '+signature' : ''}` : ctx.method);
        if (ctx.method === 'publickey') ctx.accept();
        else ctx.reject(['publickey']);
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      for (let i = 0; i < 2; i++) {
        const session = await connector.connect(kit.endpoint({ endpoint: { host: '127.0.0.1', port } }), {
          ...opts(),
          knownHostsPath: join(kit.dir, 'auth-probe-known-hosts'),
          trustOnFirstUse: true,
        });
        await session.close();
      }
      expect(methods).toEqual(['publickey', 'publickey+signature', 'publickey', 'publickey+signature']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('tells its observer how long each connect took and how it ended', async () => {
    const events: { result: string; durationMs: number }[] = [];
    const observed = new SshConnector((event) => events.push(event));
    await (await observed.connect(kit.endpoint(host), opts())).close();
    await caught(observed.connect(kit.endpoint(host, { privateKeyPath: join(kit.dir, 'nope') }), opts()));
    expect(events.map((e) => e.result)).toEqual(['ok', 'SshKeyFileError']);
    expect(events[0]!.durationMs).toBeGreaterThan(0);
  });

  it('reports a missing or unusable key file by path', async () => {
    const missing = await caught(connector.connect(kit.endpoint(host, { privateKeyPath: join(kit.dir, 'nope') }), opts()));
    expect(missing).toBeInstanceOf(SshKeyFileError);
    expect(missing.message).toContain(join(kit.dir, 'nope'));
    const garbage = join(kit.dir, 'garbage-key');
    writeFileSync(garbage, 'not a key at all');
    await expect(connector.connect(kit.endpoint(host, { privateKeyPath: garbage }), opts())).rejects.toBeInstanceOf(SshKeyFileError);
  });

  it('reads a key file again once it changed: a rotated key is used, a broken one refused (keys are kept between connects)', async () => {
    const rotating = join(kit.dir, 'rotating-key');
    writeFileSync(rotating, kit.privateKey, { mode: 0o600 });
    await (await connector.connect(kit.endpoint(host, { privateKeyPath: rotating }), opts())).close();
    writeFileSync(rotating, 'not a key any more');
    await expect(connector.connect(kit.endpoint(host, { privateKeyPath: rotating }), opts())).rejects.toBeInstanceOf(SshKeyFileError);
    writeFileSync(rotating, generateEd25519KeyPair('not-authorized').privateKey);
    await expect(connector.connect(kit.endpoint(host, { privateKeyPath: rotating }), opts())).rejects.toBeInstanceOf(SshAuthError);
    writeFileSync(rotating, kit.privateKey);
    await (await connector.connect(kit.endpoint(host, { privateKeyPath: rotating }), opts())).close();
  });

  it('gives up on a TCP peer that never speaks SSH with SshConnectTimeoutError', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const error = await caught(connector.connect(kit.endpoint({ endpoint: { host: '127.0.0.1', port } }), opts({ connectTimeoutMs: 400 })));
      expect(error).toBeInstanceOf(SshConnectTimeoutError);
      expect((error as SshConnectTimeoutError).permanent).toBe(false);
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('names a peer that accepts TCP and closes before the SSH handshake, with the fix', async () => {
    const shedding: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => shedding.listen(0, '127.0.0.1', resolve));
    const port = (shedding.address() as { port: number }).port;
    try {
      const error = await caught(connector.connect(kit.endpoint({ endpoint: { host: '127.0.0.1', port } }), opts()));
      expect(error).toBeInstanceOf(SshUnreachableError);
      expect(error.message).toBe(
        `127.0.0.1:${port} accepted the TCP connection and closed it before the SSH handshake; fix: check that sshd listens there and is not refusing connections (its MaxStartups, a TCP wrapper or firewall), or give the host's out-of-band address in HOSTNET_SSH_ENDPOINTS (the worker's)`,
      );
    } finally {
      await new Promise((resolve) => shedding.close(resolve));
    }
  });

  it('reports a closed port as SshUnreachableError (transient)', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const error = await caught(connector.connect(kit.endpoint({ endpoint: { host: '127.0.0.1', port } }), opts()));
    expect(error).toBeInstanceOf(SshUnreachableError);
    expect((error as SshUnreachableError).permanent).toBe(false);
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port} over SSH (ECONNREFUSED); fix: check that sshd answers there, or give the host's out-of-band address in HOSTNET_SSH_ENDPOINTS (the worker's)`);
  });

  it('fails with SshConnectionLostError when the host drops the connection during apply', async () => {
    const session = await connector.connect(kit.endpoint(host), opts());
    host.faults.dropConnectionDuringApply = true;
    const error = await caught(session.exec('echo new > etc/netplan/60-hostnet.yaml && netplan apply && echo done'));
    expect(error).toBeInstanceOf(SshConnectionLostError);
    expect((error as SshConnectionLostError).permanent).toBe(false);
    expect(readFileSync(join(host.rootDir, 'etc/netplan/60-hostnet.yaml'), 'utf8')).toBe('new\n');
    expect(host.faults.dropConnectionDuringApply).toBe(false);
    const again = await connector.connect(kit.endpoint(host), opts());
    await expect(again.exec('rm etc/netplan/60-hostnet.yaml && echo ok')).resolves.toMatchObject({ stdout: 'ok\n' });
    await again.close();
  });

  it('applies the failCommand and slowMs faults', async () => {
    const session = await connector.connect(kit.endpoint(host), opts());
    host.faults.failCommand = /netplan apply/;
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 1, stderr: expect.stringContaining('simulated failure') });
    await expect(session.exec('netplan apply')).resolves.toMatchObject({ code: 0 });
    host.faults.slowMs = 250;
    const started = Date.now();
    await session.exec('true');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    await session.close();
  });

  it('never puts private key material in an error message', () => {
    expect(errors.length).toBeGreaterThanOrEqual(5);
    const secret = keyBody(kit.privateKey);
    const parsed = utils.parseKey(kit.privateKey);
    for (const error of errors) {
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain(secret.slice(20, 60));
      if (!(parsed instanceof Error)) expect(error.message).not.toContain(parsed.getPrivatePEM().split('\n')[1]);
    }
  });
});
