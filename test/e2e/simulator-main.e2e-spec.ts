import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudStackClient } from '@hostnet/cloudstack';
import { freePort } from '@hostnet/simulator/environment/redis-process';

const SIMULATOR_MAIN = join(__dirname, '..', '..', 'dist', 'apps', 'simulator', 'src', 'main.js');
const apiKey = 'compose-simulator-key';
const secretKey = 'compose-simulator-secret';

/** Starts the built simulator main; resolves once it printed its URL (or rejects with what it printed). */
function startSimulator(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [SIMULATOR_MAIN], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 20 s: ${output}`)), 20_000);
    const seen = () => {
      if (!output.includes('/client/api')) return;
      clearTimeout(timer);
      resolve({ child, output: () => output, exited });
    };
    child.stdout!.on('data', (d: Buffer) => ((output += d.toString()), seen()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    void exited.then((code) => (clearTimeout(timer), reject(Object.assign(new Error(output), { code }))));
  });
}

describe('the simulator entry point docker compose --profile simulator runs', () => {
  it('is in the build and is what docker-compose.yml runs', () => {
    expect(existsSync(SIMULATOR_MAIN)).toBe(true);
    expect(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')).toContain('"dist/apps/simulator/src/main.js"');
  });

  it('serves a seeded zone on SIMULATOR_PORT, to requests signed with its keys', async () => {
    const port = await freePort();
    const sim = await startSimulator({ SIMULATOR_PORT: String(port), SIMULATOR_HOST: '127.0.0.1', SIMULATOR_API_KEY: apiKey, SIMULATOR_SECRET_KEY: secretKey, SIMULATOR_HOSTS: '2' });
    try {
      expect(sim.output()).toContain(`http://127.0.0.1:${port}/client/api`);
      const client = new CloudStackClient({ url: `http://127.0.0.1:${port}/client/api`, apiKey, secretKey, retries: { attempts: 1 } });
      const zones = await client.listZones();
      expect(zones).toHaveLength(1);
      expect(await client.listHosts({ zoneId: zones[0]!.id })).toHaveLength(2);
      const wrong = new CloudStackClient({ url: `http://127.0.0.1:${port}/client/api`, apiKey, secretKey: 'not-the-secret', retries: { attempts: 1 } });
      await expect(wrong.listZones()).rejects.toThrow();
      expect(sim.output()).not.toContain(secretKey);
    } finally {
      sim.child.kill('SIGTERM');
      expect(await sim.exited).toBe(0);
    }
  }, 40_000);

  it('refuses to start without its keys, naming the variables', async () => {
    const started = startSimulator({ SIMULATOR_PORT: String(await freePort()) });
    await expect(started).rejects.toThrow(/SIMULATOR_API_KEY is not set; fix: .*SIMULATOR_SECRET_KEY is not set; fix: /);
  }, 30_000);
});
