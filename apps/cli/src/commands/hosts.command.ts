import { CliCommand, CliIo, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom } from '../api-client';
import { formatHostList, type HostStatusRow } from './host-status-report';

/** Usage line of `hostnet hosts`. */
export const HOSTS_USAGE = 'hostnet hosts [--api-url URL] [--zone ID|NAME] [--cluster ID|NAME] [--phase P[,P…]] [--drifted] [--json]  (token from env API_TOKEN)';

/** `hostnet hosts`: every host hostnet has run, as GET /hosts lists them (zone, cluster, name), filtered as it filters. */
export function hostsCommand(env: () => Record<string, string | undefined> = () => process.env): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', 'zone', 'cluster', 'phase'], ['drifted', 'json']);
    const api = new ApiClient(apiUrlFrom(flags['api-url'], env()), apiTokenOf(env()));
    const query = new URLSearchParams();
    for (const key of ['zone', 'cluster', 'phase'] as const) if (flags[key] !== undefined) query.set(key, flags[key]);
    if (flags.drifted) query.set('drifted', 'true');
    const rows = await api.call<HostStatusRow[]>('GET', `/hosts${query.size > 0 ? `?${query.toString()}` : ''}`, undefined, 200);
    io.stdout(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : formatHostList(rows));
    return EXIT_OK;
  };
}
