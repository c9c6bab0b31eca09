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
    // A zone or cluster no host of hostnet's is in is most often a typo: say so, as plan and configure do, with
    // --json too (a script must not read a typo as an empty zone: [] means the zone has no host that matched)
    const all = rows.length === 0 && query.size > 0 ? await api.call<HostStatusRow[]>('GET', '/hosts', undefined, 200) : undefined;
    const unknown = all ? unknownPlacement(all, flags.zone, flags.cluster) : undefined;
    if (unknown) throw new Error(unknown);
    const none = all && all.length > 0 ? noneMatched(flags) : undefined;
    io.stdout(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : (none ?? formatHostList(rows)));
    return EXIT_OK;
  };
}

/** An empty filtered list, said as what the filter asked ("no host is drifted"), not as if hostnet had run no host. */
function noneMatched(flags: Record<string, string | undefined>): string {
  const what = [flags.phase !== undefined ? `in phase ${flags.phase.split(',').join(' or ')}` : '', flags.drifted === 'true' ? 'drifted' : ''].filter(Boolean).join(' and ');
  const where = [flags.zone !== undefined ? `zone ${flags.zone}` : '', flags.cluster !== undefined ? `cluster ${flags.cluster}` : ''].filter(Boolean).join(', ');
  const drift = flags.drifted === 'true' ? ": no drift check found a host that differs from its intent (DRIFTED in hostnet hosts shows each host's last check)" : '';
  return `no host ${what ? `is ${what}` : 'matches'}${where ? ` in ${where}` : ''}${drift}\n`;
}

/** Why a --zone or --cluster matched nothing, when it names no zone or cluster of any host hostnet has run. */
function unknownPlacement(all: readonly HostStatusRow[], zone: string | undefined, cluster: string | undefined): string | undefined {
  for (const [flag, asked, id, name] of [
    ['zone', zone, (r: HostStatusRow) => r.zoneId, (r: HostStatusRow) => r.zoneName],
    ['cluster', cluster, (r: HostStatusRow) => r.clusterId, (r: HostStatusRow) => r.clusterName],
  ] as const) {
    if (asked === undefined) continue;
    const same = (v: string | undefined) => v !== undefined && v.toLowerCase() === asked.toLowerCase();
    if (all.some((r) => same(id(r)) || same(name(r)))) continue;
    const known = [...new Set(all.map((r) => name(r) ?? id(r)).filter((v): v is string => v !== undefined))].sort();
    const ask = flag === 'zone' ? 'hostnet plan --zone Z dry-runs every host of a zone CloudStack knows' : "hostnet topology --zone Z lists a zone's clusters as CloudStack knows them";
    return `--${flag} ${JSON.stringify(asked)} names no ${flag} of a host hostnet has run; ${known.length > 0 ? `its hosts are in ${flag}s ${known.join(', ')}` : 'it has run no host yet'} (${ask})`;
  }
  return undefined;
}
