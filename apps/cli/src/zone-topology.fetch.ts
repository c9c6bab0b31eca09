import { CloudStackClient, ZoneTopologyService, type ZoneNetworkTopology } from '@hostnet/cloudstack';
import { CliUsageError } from './cli-command';
import { readCloudStackEnv } from './cloudstack-env';

/** A zone's topology from CloudStack's API via the signed client, credentials from the environment only (`--zone`). */
export async function fetchZoneTopology(zone: string, env: NodeJS.ProcessEnv): Promise<ZoneNetworkTopology> {
  const cs = readCloudStackEnv(env);
  const missing = [!cs.url && 'CLOUDSTACK_URL', !cs.apiKey && 'CLOUDSTACK_API_KEY', !cs.secretKey && 'CLOUDSTACK_SECRET_KEY'].filter(Boolean);
  if (missing.length > 0) throw new CliUsageError(`--zone needs ${missing.join(', ')}: set them in the environment, in .env in this directory, or in the file HOSTNET_ENV_FILE names`);
  const client = new CloudStackClient({ url: cs.url as string, apiKey: cs.apiKey as string, secretKey: cs.secretKey as string });
  return new ZoneTopologyService(client).getTopology(zone, { requireKvmHosts: true });
}
