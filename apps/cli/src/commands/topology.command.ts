import { CloudStackClient, normalizeCloudStackUrl, ZoneTopologyService } from '@hostnet/cloudstack';
import { CliCommand, CliIo, CliUsageError, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { CloudStackEnv, readCloudStackEnv } from '../cloudstack-env';

/** Usage line of `hostnet topology`. */
export const TOPOLOGY_USAGE =
  'hostnet topology --zone <id|name> [--url URL] [--api-key KEY]   (secret: CLOUDSTACK_SECRET_KEY; prints the zone as JSON on stdout, the file lint and render take as --topology)';

/**
 * `hostnet topology`: prints what hostnet derives from a zone (pods, clusters, KVM hosts, physical
 * networks with effective KVM labels, storage ranges, warnings) as pretty JSON. The root admin secret
 * comes from CLOUDSTACK_SECRET_KEY only, as the api token from API_TOKEN: a flag lands in shell history
 * and in every `ps` listing.
 */
export function topologyCommand(readEnv: () => CloudStackEnv = readCloudStackEnv): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['zone', 'url', 'api-key']);
    if (!flags.zone) throw new CliUsageError('--zone is required');
    const env = readEnv();
    // a bad --url is named as the flag, not as the variable it stands in for
    if (flags.url !== undefined) normalizeCloudStackUrl(flags.url, '--url');
    const client = new CloudStackClient({
      url: required(flags.url ?? env.url, '--url', 'CLOUDSTACK_URL'),
      apiKey: required(flags['api-key'] ?? env.apiKey, '--api-key', 'CLOUDSTACK_API_KEY'),
      secretKey: required(env.secretKey, undefined, 'CLOUDSTACK_SECRET_KEY'),
    });
    const topology = await new ZoneTopologyService(client).getTopology(flags.zone, { requireKvmHosts: true });
    io.stdout(`${JSON.stringify(topology, null, 2)}\n`);
    return EXIT_OK;
  };
}

function required(value: string | undefined, flag: string | undefined, variable: string): string {
  if (value === undefined || value === '') throw new CliUsageError(`${variable} is not set: export it or put it in .env${flag ? ` (or pass ${flag})` : ''}`);
  return value;
}
