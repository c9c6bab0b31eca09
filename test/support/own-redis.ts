import { spawn, type ChildProcess } from 'node:child_process';
import { RedisProcess } from '@hostnet/simulator/environment/redis-process';
import { waitFor } from './redis-cluster';

/** A redis-server of the test's own on `port` (no persistence), so a test can stop it and start it again on the same port. */
export async function startOwnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(RedisProcess.available()!, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await waitFor(`127.0.0.1:${port}`, async (r) => (await r.ping()) === 'PONG');
  return child;
}

export async function stopOwnRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
