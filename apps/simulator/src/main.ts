import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, loadSimulatorTopology } from './cloudstack';
import { seedZone } from './environment/zone-seed';
import { readSimulatorEnv, SimulatorEnvError } from './simulator-env';

/**
 * The CloudStack simulator on its own (docker compose --profile simulator): the reference zone with
 * SIMULATOR_HOSTS KVM hosts added Disabled, as the demo seeds it, answering requests signed with
 * SIMULATOR_API_KEY / SIMULATOR_SECRET_KEY at http://SIMULATOR_HOST:SIMULATOR_PORT/client/api.
 * It simulates CloudStack only: no KVM host behind it answers SSH (the demo runs those too).
 */
async function main(): Promise<void> {
  const env = readSimulatorEnv(process.env);
  const { topology } = seedZone(await loadSimulatorTopology(DEFAULT_TOPOLOGY_PATH), env.hosts);
  const simulator = await CloudStackSimulator.start({ topology, apiKey: env.apiKey, secretKey: env.secretKey, port: env.port, host: env.host, asyncJobDelayMs: 50 });
  process.stdout.write(`CloudStack simulator: ${simulator.url} (zone ${topology.zones[0]!.name}, ${env.hosts} KVM host(s) added Disabled)\n`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: Error) => {
  process.stderr.write(`${error instanceof SimulatorEnvError ? error.message : `the CloudStack simulator failed: ${error.message}`}\n`);
  process.exit(1);
});
