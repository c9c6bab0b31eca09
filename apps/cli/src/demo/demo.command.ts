import Redis from 'ioredis';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedZone } from '@hostnet/simulator/environment/simulated-zone';
import { freePort } from '@hostnet/simulator/environment/redis-process';
import { workerEnvOf } from '@hostnet/simulator/environment/worker-env';
import { CliUsageError, EXIT_FAILURE, EXIT_OK, type CliCommand } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { AppProcess } from './app-process';
import { DemoApiClient, type HostStatus } from './demo-api.client';

export const DEMO_USAGE = 'hostnet demo [--hosts N] [--clusters N] [--apply-latency-ms MS] [--timeout-s S] [--keep]';

/**
 * The main job on an embedded default: a simulated CloudStack zone (the reference document's) whose
 * N simulated KVM hosts behind real SSH, a Redis (REDIS_URL or a private redis-server), and api +
 * worker run from the build exactly as in production. Shows hosts being configured and enabled,
 * then re-runs the zone to show that a configured host is a no-op.
 */
export function demoCommand(): CliCommand {
  return async (argv, io) => {
    const flags = parseFlags(argv, ['hosts', 'clusters', 'apply-latency-ms', 'timeout-s'], ['keep']);
    const keep = flags['keep'] === 'true';
    const hosts = intFlag(flags, 'hosts', 5, 1, 200);
    // Consecutive hosts share a cluster (kvm1.. in cluster1): a relabel can then be scoped to a cluster
    // whose hosts' targets all render the expand layout (with --hosts 5 --clusters 2: cluster2).
    const clusters = intFlag(flags, 'clusters', 1, 1, hosts);
    const timeoutMs = intFlag(flags, 'timeout-s', 120, 5, 3600) * 1000;
    // every flag read before anything starts: a bad one is the only line printed
    const applyLatencyMs = intFlag(flags, 'apply-latency-ms', 300, 0, 60_000);
    const say = (line: string) => io.stdout(`${line}\n`);

    say(`starting a simulated CloudStack zone with ${hosts} KVM host(s) added Disabled…`);
    const zone = await SimulatedZone.start({
      hosts,
      clusters,
      applyLatencyMs,
      ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    });
    const apps: AppProcess[] = [];
    // A shared Redis (REDIS_URL) keeps what the run wrote under the zone's own prefix: said here, removed at exit
    // unless --keep (a private redis-server goes with the zone).
    const shared = process.env.REDIS_URL ? { url: process.env.REDIS_URL, prefix: zone.env['QUEUE_PREFIX'] } : undefined;
    if (shared?.prefix) say(`Redis: REDIS_URL, keys under ${shared.prefix}:* (${keep ? 'kept: --keep, after Ctrl-C too; README says how to remove them' : 'removed when the demo ends'})`);
    try {
      const env: Record<string, string> = { ...zone.env, API_PORT: String(await freePort()), LOG_LEVEL: 'warn' };
      const token = env['API_TOKEN'] ?? '';
      const echo = (app: string) => (line: string) => io.stderr(`  [${app}] ${line}\n`);
      apps.push(AppProcess.start('api', env, echo('api')), AppProcess.start('worker', workerEnvOf(env), echo('worker')));
      const api = new DemoApiClient(`http://127.0.0.1:${env['API_PORT']}`, token);
      // 60 s: on a loaded 2-core machine (the demo e2e beside other e2e suites) api's boot took over 20 s; an api that exits ends the wait at once.
      await api.waitHealthy(60_000, () => apps.some((a) => a.exited));
      say(`CloudStack simulator: ${zone.cloudstack.url}`);
      // The pages are only shown when the demo stays up for a browser. Their token, as the zone's other keys,
      // goes in a file only its owner reads (removed with the zone), not on the terminal or in a log.
      const cliEnv = join(zone.dir, 'cli.env');
      if (keep) {
        const exported = ['API_TOKEN', 'CLOUDSTACK_URL', 'CLOUDSTACK_API_KEY', 'CLOUDSTACK_SECRET_KEY', 'HOSTNET_PROFILES'].map((k) => `export ${k}='${env[k]}'`);
        writeFileSync(cliEnv, [...exported, `export HOSTNET_API_URL='http://127.0.0.1:${env['API_PORT']}'`, ''].join('\n'), { mode: 0o600 });
        say(`dashboard:            http://127.0.0.1:${env['API_PORT']}/dashboard?token=<API_TOKEN>`);
        say(`queues (Bull Board):  http://127.0.0.1:${env['API_PORT']}/admin/queues?token=<API_TOKEN>`);
        say(`  <API_TOKEN>: the API_TOKEN line of ${cliEnv} (mode 0600); the dashboard takes it once, then keeps a cookie`);
      } else {
        say('dashboard and queues: add --keep to keep the zone, its api and its pages up after the run');
      }
      say('the poller finds the new hosts; each is configured over SSH, verified, then enabled:');

      const seen = new Map<string, string>();
      const settled = await api.watch(hosts, timeoutMs, (status: HostStatus) => {
        if (seen.get(status.hostId) === status.phase) return;
        seen.set(status.hostId, status.phase);
        const extra = status.outcome?.target ? ` (${status.outcome.target})` : '';
        say(`  ${status.hostName.padEnd(8)} ${status.phase}${extra}${status.reason ? ` — ${status.reason}` : ''}`);
      });
      const enabled = zone.cloudstack.state.hosts.filter((h) => h.resourceState === 'Enabled').length;
      const enables = zone.cloudstack.calls.mutations().filter((c) => c.command === 'updateHost').length;
      say(`${enabled}/${hosts} host(s) Enabled in CloudStack (${enables} updateHost call(s)); ${settled.failed} failed.`);

      say('running the zone again: configured hosts must be no-ops (nothing written, nothing restarted)…');
      await api.configureZone(zone.cloudstack.state.zones[0]!.name);
      const rerun = await api.waitForRun(hosts, timeoutMs);
      say(`  ${rerun.noop}/${hosts} no-op, ${rerun.other} other`);
      for (const s of rerun.others) say(`  ${s.hostName}: ${s.outcome?.status}${s.reason ? ` — ${s.reason}` : ''}`);

      if (keep) {
        // What the CLI's other commands need against this zone, its keys included: the file written above.
        say('--keep: everything stays up; press Ctrl-C to stop. For the other commands against it, in another shell:');
        say(`  . ${cliEnv}`);
        say(`  npm run hostnet -- plan --zone ${zone.cloudstack.state.zones[0]!.name}   (the file sets HOSTNET_API_URL; topology, render and lint take --zone too)`);
        await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
      }
      return settled.failed === 0 && enabled === hosts && rerun.noop === hosts ? EXIT_OK : EXIT_FAILURE;
    } finally {
      await Promise.allSettled(apps.map((a) => a.stop()));
      await zone.stop();
      if (shared?.prefix && !keep) await dropKeys(shared.url, shared.prefix).catch((e: Error) => io.stderr(`hostnet demo: could not remove its Redis keys under ${shared.prefix}:* (${e.message}); remove them by hand\n`));
    }
  };
}

function intFlag(flags: Record<string, string>, name: string, fallback: number, min: number, max: number): number {
  if (flags[name] === undefined) return fallback;
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new CliUsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return value;
}

/** Every key under `prefix:` (BullMQ's queues and hostnet's records of this run), after the apps stopped. */
async function dropKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
