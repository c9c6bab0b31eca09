import { CliCommand, CliIo, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom, requiredFlag } from '../api-client';
import { formatHostView, type HostView } from './host-status-report';
import { rolloutMaintenanceOf } from './rollout-maintenance';

/** Usage line of `hostnet host`. */
export const HOST_USAGE = 'hostnet host --host ID|NAME [--api-url URL] [--json]  (token from env API_TOKEN)';

/** `hostnet host`: one host's standing, its last run (outcome, verification, diff) and its history (GET /hosts/:id). */
export function hostCommand(env: () => Record<string, string | undefined> = () => process.env): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const flags = parseFlags(argv, ['api-url', 'host'], ['json']);
    const host = requiredFlag(flags.host, '--host', 'the CloudStack id or name of the host, e.g. --host kvm1');
    const api = new ApiClient(apiUrlFrom(flags['api-url'], env()), apiTokenOf(env()));
    const view = await api.call<HostView>('GET', `/hosts/${encodeURIComponent(host)}`, undefined, 200);
    if (flags.json) io.stdout(`${JSON.stringify(view, null, 2)}\n`);
    else io.stdout(formatHostView(view, undefined, await rolloutMaintenanceOf(api, view)));
    return EXIT_OK;
  };
}
