import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { hasLintErrors, lintZone, loadProfileSetFile, loadTopologyFile } from '@hostnet/intent';
import { CliUsageError, type CliCommand } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { fetchZoneTopology } from '../zone-topology.fetch';
import { formatLintJson, formatLintTable } from './lint-report';
import { parsePublicVlans } from './public-vlans.flag';

/** Usage of `hostnet lint`. */
export const LINT_USAGE = `hostnet lint (--zone ID|NAME | --topology FILE.json) [--profile FILE.yaml] [--public-vlans 100-199,300] [--json]
Lists the zone's problems with the fix; exit 0 clean or warnings only, 2 when any finding is an error, 1 on input errors.
--profile defaults to $HOSTNET_PROFILES; --zone reads CLOUDSTACK_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY.
Without --public-vlans the agent's br<pif>-<vlan> names are checked against Public VLAN 4094 (a warning).`;

/** Exit codes of `hostnet lint` (os-net-config style: 2 means "look at this"). */
export const LINT_EXIT = { clean: 0, input: 1, errors: 2 } as const;

/** Outside inputs: the environment and how a zone's topology is fetched (tests pass their own). */
export interface LintCommandDeps {
  env?: NodeJS.ProcessEnv;
  fetchTopology?: (zone: string, env: NodeJS.ProcessEnv) => Promise<ZoneNetworkTopology>;
}

/** `hostnet lint`: the zone lint of @hostnet/intent as a table or JSON. Every failure to read input is exit 1. */
export function lintCommand(deps: LintCommandDeps = {}): CliCommand {
  return async (argv, io) => {
    const env = deps.env ?? process.env;
    try {
      const flags = parseFlags(argv, ['zone', 'topology', 'profile', 'public-vlans'], ['json']);
      if ((flags.zone === undefined) === (flags.topology === undefined)) {
        throw new CliUsageError(flags.zone === undefined ? 'give --zone ID|NAME (CloudStack) or --topology FILE.json (offline)' : '--zone and --topology exclude each other');
      }
      const profileFile = flags.profile ?? (env.HOSTNET_PROFILES?.trim() || undefined);
      if (!profileFile) throw new CliUsageError('--profile FILE.yaml is required (or set HOSTNET_PROFILES)');
      const publicVlans = flags['public-vlans'] === undefined ? undefined : parsePublicVlans(flags['public-vlans']);
      const profileSet = await loadProfileSetFile(profileFile);
      const topology = flags.topology ? await loadTopologyFile(flags.topology) : await (deps.fetchTopology ?? fetchZoneTopology)(flags.zone as string, env);
      const findings = lintZone({ topology, profileSet, publicVlans });
      io.stdout(flags.json ? formatLintJson(topology.zone.name, findings) : formatLintTable(topology.zone.name, findings));
      return hasLintErrors(findings) ? LINT_EXIT.errors : LINT_EXIT.clean;
    } catch (error) {
      const usage = error instanceof CliUsageError ? `\nusage: ${LINT_USAGE.split('\n')[0]}` : '';
      io.stderr(`hostnet lint: ${(error as Error).message ?? String(error)}${usage}\n`);
      return LINT_EXIT.input;
    }
  };
}
