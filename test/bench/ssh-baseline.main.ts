import { readFileSync } from 'node:fs';
import { Client, utils, type ParsedKey, type PublicKeyAuthMethod } from 'ssh2';
import { withDecodedKey } from '@hostnet/ssh';
import { serveIpc } from './ipc-child';
import type { BaselinePlan, BaselineRun } from './ssh-baseline';

/**
 * Child side of SshBaseline: bare ssh2 clients, nothing of hostnet but the worker's key handling. Per host, `connections` connects
 * one after the other, the host's `execs` spread over them, each exec of `command` waited for.
 */
async function run(plan: BaselinePlan): Promise<BaselineRun> {
  // parsed and decoded once and offered alone, as the worker does: the baseline differs from it by
  // hostnet's work, not by its SSH client settings (withDecodedKey is the one piece of hostnet it uses)
  const parsed = utils.parseKey(readFileSync(plan.keyPath));
  if (parsed instanceof Error) throw parsed;
  const privateKey = withDecodedKey(Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed);
  const perHostMs: number[] = [];
  let failures = 0;
  let next = 0;
  const started = Date.now();
  const lane = async (): Promise<void> => {
    for (let i = next++; i < plan.targets.length; i = next++) {
      const target = plan.targets[i]!;
      const t = Date.now();
      try {
        for (let c = 0; c < target.connections; c++) {
          // the execs spread evenly, the first connections taking the remainder
          const execs = Math.floor(target.execs / target.connections) + (c < target.execs % target.connections ? 1 : 0);
          await session(target, privateKey, execs, plan.command);
        }
        perHostMs.push(Date.now() - t);
      } catch {
        failures += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.targets.length) }, lane));
  return { wallMs: Date.now() - started, perHostMs, failures };
}

function session(target: BaselinePlan['targets'][number], privateKey: ParsedKey, execs: number, command: string): Promise<void> {
  const known = Buffer.from(target.hostKeyBase64, 'base64');
  const offer: PublicKeyAuthMethod = { type: 'publickey', username: 'root', key: privateKey };
  const client = new Client();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => (client.destroy(), reject(new Error(`${target.host}:${target.port} timed out`))), 120_000);
    const done = (error?: Error) => {
      clearTimeout(timer);
      client.end();
      if (error) reject(error);
      else resolve();
    };
    client.on('error', done);
    client.on('ready', async () => {
      try {
        for (let e = 0; e < execs; e++) await exec(client, command);
        done();
      } catch (error) {
        done(error as Error);
      }
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: 'root',
      authHandler: [offer],
      hostVerifier: (key: Buffer) => key.equals(known),
    });
  });
}

function exec(client: Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(error);
      stream.on('data', () => undefined);
      stream.stderr.on('data', () => undefined);
      stream.on('close', (code: number | null) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
    });
  });
}

serveIpc({ ready: () => true, run: (plan) => run(plan as BaselinePlan) }, async () => undefined);
