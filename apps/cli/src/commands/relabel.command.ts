import { CliCommand, CliIo, CliUsageError, EXIT_OK } from '../cli-command';
import { parseFlags } from '../cli-flags';
import { ApiClient, apiTokenOf, apiUrlFrom } from '../api-client';
import { parsePublicVlans } from './public-vlans.flag';
import { describeHostDiff, type HostDiffView } from './relabel-diff-report';
import { describePlan, describeRollout, describeRolloutList, type RolloutListItem, type RolloutView } from './relabel-report';
import { DEFAULT_WATCH, relabelStatus, type WatchOptions } from './relabel-status';

/** Usage of `hostnet relabel`, one subcommand a line. */
export const RELABEL_USAGE = [
  'hostnet relabel plan --zone <id|name> --changes "<physicalNetwork>/<trafficType>=<newLabel>[,...]" [--scope c1,c2 [--out-of-scope leave-behind]] [--drifted include]',
  '          [--canary N] [--max-unavailable N|N%] [--abort-after N|N%] [--maintenance required|when-vms|never] [--public-vlans 100-199,300]',
  '   or: hostnet relabel start|pause|resume|abort|show --id <rollout>   (pause and abort take [--reason "why"], kept as the rollout\'s reason)',
  '   or: hostnet relabel give-up --id <rollout> --host <id|name> [--reason "why"]   (aborting only: the rollback leaves that host as it is and goes on)',
  '   or: hostnet relabel status --id <rollout> [--watch]   (progress bars per wave on a terminal; --watch redraws until the rollout ended)',
  "   or: hostnet relabel diff --id <rollout> --host <id|name> [--target T]   (files and commands of each of the host's steps)",
  '   or: hostnet relabel list   (every rollout, newest first)',
  'every form takes [--api-url URL] [--json]; the token comes from API_TOKEN',
].join('\n');

const ACTIONS = ['start', 'pause', 'resume', 'abort'] as const;
const PLAN_FLAGS = ['zone', 'changes', 'scope', 'out-of-scope', 'drifted', 'canary', 'max-unavailable', 'abort-after', 'maintenance', 'public-vlans', 'requested-by', 'api-url'];
const ID_FLAGS = ['id', 'api-url', 'requested-by', 'reason'];

/**
 * `hostnet relabel`: plans and drives bulk re-labelling rollouts through the api (POST /relabels and
 * /relabels/:id/<action>). The token comes from API_TOKEN only, never from a flag (flags end up in shell
 * history and process lists).
 */
export function relabelCommand(readEnv: () => Record<string, string | undefined> = () => process.env, watch: WatchOptions = DEFAULT_WATCH): CliCommand {
  return async (argv: string[], io: CliIo): Promise<number> => {
    const [sub, ...rest] = argv;
    if (rest.some((a) => /^--token(=|$)/.test(a))) throw new CliUsageError('the api token is read from API_TOKEN only; unset the flag and export API_TOKEN');
    const env = readEnv();
    const token = apiTokenOf(env);
    if (sub === 'plan') {
      const flags = parseFlags(rest, PLAN_FLAGS, ['json']);
      const api = new ApiClient(apiUrlFrom(flags['api-url'], env), token);
      const view = await api.call<RolloutView>('POST', '/relabels', planBody(flags), 201);
      io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : describePlan(view));
      return EXIT_OK;
    }
    if (sub === 'list') {
      const flags = parseFlags(rest, ['api-url'], ['json']);
      const items = await new ApiClient(apiUrlFrom(flags['api-url'], env), token).call<RolloutListItem[]>('GET', '/relabels', undefined, 200);
      io.stdout(flags.json ? `${JSON.stringify(items, null, 2)}\n` : describeRolloutList(items));
      return EXIT_OK;
    }
    if (sub === 'diff') {
      const flags = parseFlags(rest, ['id', 'host', 'target', 'api-url'], ['json']);
      if (!flags.id || !flags.host) throw new CliUsageError('--id <rollout> and --host <id|name> are required');
      const api = new ApiClient(apiUrlFrom(flags['api-url'], env), token);
      const query = flags.target ? `?target=${encodeURIComponent(flags.target)}` : '';
      const view = await api.call<HostDiffView>('GET', `/relabels/${encodeURIComponent(flags.id)}/hosts/${encodeURIComponent(flags.host)}/diff${query}`, undefined, 200);
      io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : describeHostDiff(view));
      return EXIT_OK;
    }
    if (sub === 'give-up') {
      const flags = parseFlags(rest, [...ID_FLAGS, 'host'], ['json']);
      if (!flags.id || !flags.host) throw new CliUsageError('--id <rollout> and --host <id|name> are required');
      const api = new ApiClient(apiUrlFrom(flags['api-url'], env), token);
      const view = await api.call<RolloutView>('POST', `/relabels/${encodeURIComponent(flags.id)}/hosts/${encodeURIComponent(flags.host)}/give-up`, controlBody(flags), 202);
      io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : describeRollout(view));
      return EXIT_OK;
    }
    if (sub === 'show' || sub === 'status' || (ACTIONS as readonly string[]).includes(sub ?? '')) {
      const flags = parseFlags(rest, ID_FLAGS, sub === 'status' ? ['json', 'watch'] : ['json']);
      if (!flags.id) throw new CliUsageError('--id <rollout> is required (the id `relabel plan` printed)');
      const api = new ApiClient(apiUrlFrom(flags['api-url'], env), token);
      const path = `/relabels/${encodeURIComponent(flags.id)}`;
      const read = () => api.call<RolloutView>('GET', path, undefined, 200);
      if (sub === 'status') return relabelStatus(read, flags, io, watch);
      const view = sub === 'show' ? await read() : await api.call<RolloutView>('POST', `${path}/${sub}`, controlBody(flags), 202);
      io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : describeRollout(view));
      return EXIT_OK;
    }
    const subcommands = 'plan, list, start, pause, resume, abort, give-up, show, status or diff';
    if (sub === undefined || sub === '') throw new CliUsageError(`relabel needs a subcommand: ${subcommands} (start with \`hostnet relabel plan --zone Z --changes "physnet/Traffic=label"\`)`);
    throw new CliUsageError(`unknown subcommand ${JSON.stringify(sub)}: use ${subcommands}`);
  };
}


/** `physnet2/Public=cloudbr5,physnet1/Guest=cloudbr9` → changes. */
export function parseChanges(text: string | undefined): { physicalNetwork: string; trafficType: string; newLabel: string }[] {
  if (!text) throw new CliUsageError('--changes is required, e.g. --changes "physnet2/Public=cloudbr5"');
  return text.split(',').map((item, i) => {
    // The label is taken as written (spaces too): api validates it and names what is wrong with it.
    const m = /^\s*(.+)\/([A-Za-z]+)=(.*?)\s*$/.exec(item);
    if (!m || m[3] === '') throw new CliUsageError(`--changes item ${i + 1} ${JSON.stringify(item)} is not <physicalNetwork>/<trafficType>=<newLabel>, e.g. physnet2/Public=cloudbr5`);
    return { physicalNetwork: m[1]!, trafficType: m[2]!, newLabel: m[3]! };
  });
}

function planBody(flags: Record<string, string>): Record<string, unknown> {
  if (!flags.zone) throw new CliUsageError('--zone is required');
  const countOrPercent = (name: string): number | string | undefined => {
    const v = flags[name];
    if (v === undefined) return undefined;
    if (/^\d+$/.test(v)) return Number(v);
    if (/^\d{1,3}%$/.test(v)) return v;
    throw new CliUsageError(`--${name} ${JSON.stringify(v)} is neither a count (2) nor a percentage (25%)`);
  };
  let canary: number | undefined;
  if (flags.canary !== undefined) {
    if (!/^\d+$/.test(flags.canary)) throw new CliUsageError(`--canary ${JSON.stringify(flags.canary)} is not a whole number of hosts`);
    canary = Number(flags.canary);
  }
  const strategy = Object.fromEntries(
    Object.entries({ canary, maxUnavailable: countOrPercent('max-unavailable'), abortAfter: countOrPercent('abort-after'), maintenance: flags.maintenance }).filter(([, v]) => v !== undefined),
  );
  // an empty --scope (an unset shell variable) must not fall back to the whole zone
  const scope = flags.scope?.split(',').map((s) => s.trim()).filter(Boolean);
  if (scope?.length === 0) throw new CliUsageError(`--scope ${JSON.stringify(flags.scope)} names no cluster: list cluster names or ids (--scope cluster1,cluster2), or leave --scope out to plan every KVM cluster of the zone`);
  return {
    zone: flags.zone,
    changes: parseChanges(flags.changes),
    ...(scope ? { scope } : {}),
    ...(flags['out-of-scope'] ? { outOfScope: flags['out-of-scope'] } : {}),
    ...(flags.drifted ? { drifted: flags.drifted } : {}),
    ...(Object.keys(strategy).length > 0 ? { strategy } : {}),
    ...(flags['public-vlans'] ? { publicVlans: parsePublicVlans(flags['public-vlans']) } : {}),
    ...(flags['requested-by'] ? { requestedBy: flags['requested-by'] } : {}),
  };
}

/** The body of a control request: who asks, and why (pause, abort and give-up keep it). */
function controlBody(flags: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries({ requestedBy: flags['requested-by'], reason: flags.reason }).filter((e): e is [string, string] => e[1] !== undefined));
}
