import { CloudStackClient, ZoneTopologyService } from '@hostnet/cloudstack';
import { CliCommand, CliIo, CliUsageError, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { CloudStackEnv, readCloudStackEnv } from '../cloudstack-env';

/** Usage line of `hostnet topology`. */
export const TOPOLOGY_USAGE = 'hostnet topology --zone <id|name> [--url URL] [--api-key KEY] [--secret-key KEY]';

/**
 * `hostnet topology`: prints what hostnet derives from a zone (pods, clusters, KVM hosts, physical
 * networks with effective KVM labels, storage ranges, warnings) as pretty JSON.
 */
export function topologyCommand(readEnv: () => CloudStackEnv = readCloudStackEnv): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['zone', 'url', 'api-key', 'secret-key']);
    if (!flags.zone) throw new CliUsageError('--zone is required');
    const env = readEnv();
    const client = new CloudStackClient({
      url: required(flags.url ?? env.url, '--url', 'CLOUDSTACK_URL'),
      apiKey: required(flags['api-key'] ?? env.apiKey, '--api-key', 'CLOUDSTACK_API_KEY'),
      secretKey: required(flags['secret-key'] ?? env.secretKey, '--secret-key', 'CLOUDSTACK_SECRET_KEY'),
    });
    const topology = await new ZoneTopologyService(client).getTopology(flags.zone, { requireKvmHosts: true });
    io.stdout(`${JSON.stringify(topology, null, 2)}\n`);
    return EXIT_OK;
  };
}

function required(value: string | undefined, flag: string, variable: string): string {
  if (value === undefined || value === '') throw new CliUsageError(`${variable} is not set (or pass ${flag})`);
  return value;
}
