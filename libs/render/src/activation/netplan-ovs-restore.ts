import { isValidInterfaceName } from '@hostnet/intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { NETPLAN_PATH } from '../renderers/netplan.renderer';
import { snippetArgv } from './activation-snippets';
import { activateStep } from './activation-steps';
import { parseNetplanYaml } from '../foreign/netplan-yaml';

/** The external-ids keys netplan's OVS units set (`netplan=true`, `netplan/<column>[/<key>]=value`), as a key a step may carry. */
const NETPLAN_KEY = /^netplan(\/[A-Za-z0-9_.:+-]+)*$/;

/**
 * `netplan apply`'s OVS cleanup (netplan_cli/cli/ovs.py apply_ovs_cleanup) del-br's / del-port's every Bridge, Port
 * and Interface row tagged `external-ids:netplan=true` that the configuration in place does not name, and clears the
 * `netplan/…` settings it tagged on the rows it keeps. The run's netplan units tag every row its file names, those
 * that were there before the run included (a bridge made with ovs-vsctl, VM taps on it): the restore's own
 * `netplan apply`, with the old files back, would delete them. This step takes off the keys the run added, on every
 * row the run's file names, before that apply; a key a row had before the run stays. Rows the run made are deleted
 * by the restore script itself (or kept, with a VM's tap on them): neither is left to netplan. netplan apply runs
 * only once the keys are off (a failed step leaves the restore incomplete, never a cleanup with the tags on).
 * Arguments: `NAME:KEPT` words, KEPT the comma-joined keys the rows of that name had before the run. Table names in
 * lower case, as the simulator's ovs-vsctl takes them too.
 */
export const NETPLAN_APPLY_UNTAGGED = [
  'set -f;',
  'for t in bridge port interface; do',
  'rows=$(ovs-vsctl --no-headings -f csv -d bare --columns=name,external_ids list "$t") || exit 1;',
  'printf "%s\\n" "$rows" | while IFS= read -r line; do',
  'n=${line%%,*}; n=${n#\\"}; n=${n%\\"}; keep=""; found="";',
  'for a; do case $a in "$n:"*) found=1; keep=",${a#"$n:"},";; esac; done;',
  '[ -n "$found" ] || continue;',
  'drop="";',
  'for e in $(printf "%s" "${line#*,}" | tr -d \'"\'); do',
  'k=${e%%=*};',
  'case $k in netplan|netplan/*) ;; *) continue ;; esac;',
  'case $keep in *",$k,"*) ;; *) drop="$drop $k" ;; esac;',
  'done;',
  '[ -z "$drop" ] || ovs-vsctl --no-wait remove "$t" "$n" external_ids $drop || exit 1;',
  'done || exit 1;',
  'done;',
  'exec netplan apply',
].join(' ');

/** The bonds, bridges, VLANs (fake bridges) and patch ports of the run's netplan file: the rows its OVS units tag. */
function configuredNames(rendered: RenderedConfig): string[] {
  const content = rendered.files.find((f) => f.path === NETPLAN_PATH)?.content;
  if (content === undefined) return [];
  const network = (parseNetplanYaml(content) as { network?: Record<string, unknown> } | null)?.network ?? {};
  const ids = ['bonds', 'bridges', 'vlans'].flatMap((section) => Object.keys((network[section] as Record<string, unknown> | undefined) ?? {}));
  const ports = ((network.openvswitch as { ports?: string[][] } | undefined)?.ports ?? []).flat();
  return [...new Set([...ids, ...ports])].filter((n) => isValidInterfaceName(n)).sort();
}

/** netplan tags one table's row per name (a bridge's Bridge row, a bond's Port row, a fake bridge's Interface row). */
function keysBefore(link: LiveLink | undefined): string[] {
  const ids = [link?.ovsBridge?.externalIds, link?.ovsPort?.externalIds, link?.ovsInterface?.externalIds].flatMap((m) => Object.keys(m ?? {}));
  return [...new Set(ids)].filter((k) => NETPLAN_KEY.test(k)).sort();
}

/**
 * The Bridge columns netplan's unit of a bridge sets whatever its file says (`set-fail-mode` standalone unless the file
 * names one, mcast_snooping_enable and rstp_enable false), put back as facts read them on a bridge that was there
 * before the run; its untagged row keeps them otherwise. A value facts did not read is left as it is.
 */
function bridgeColumnsBack(link: LiveLink | undefined): ApplyStep[] {
  const br = link?.kind === 'ovs-bridge' ? link.ovsBridge : undefined;
  if (br === undefined || (br.failMode !== undefined && !['standalone', 'secure'].includes(br.failMode))) return [];
  const name = link!.name;
  const flags = [`mcast_snooping_enable=${br.mcastSnoopingEnable === true}`, `rstp_enable=${br.rstpEnable === true}`];
  const failMode = br.failMode === undefined ? ['--', '--if-exists', 'clear', 'bridge', name, 'fail_mode'] : [];
  return [activateStep(`restore-ovs-bridge-${name}`, ['ovs-vsctl', '--if-exists', 'set', 'bridge', name, ...flags, ...(br.failMode ? [`fail_mode=${br.failMode}`] : []), ...failMode])];
}

/**
 * netplan-ovs: the restore's `netplan apply` preceded, in the same step, by NETPLAN_APPLY_UNTAGGED, from the rows the run's
 * file names and the keys facts read on them before the run (none known: none kept), and before that the Bridge columns
 * netplan's units set on the bridges that were there before it, as they were.
 */
export function withNetplanOvsRowsKept(steps: ApplyStep[], rendered: RenderedConfig, live: LiveState | undefined): ApplyStep[] {
  const apply = steps.findIndex((s) => s.argv.join(' ') === 'netplan apply');
  if (rendered.target !== 'netplan-ovs' || apply < 0) return steps;
  const byName = new Map((live?.links ?? []).map((l) => [l.name, l]));
  const names = configuredNames(rendered);
  if (names.length === 0) return steps;
  const rows = names.map((name) => `${name}:${keysBefore(byName.get(name)).join(',')}`);
  const columns = names.flatMap((name) => bridgeColumnsBack(byName.get(name)));
  return [...steps.slice(0, apply), ...columns, activateStep('netplan-apply-untagged', snippetArgv(NETPLAN_APPLY_UNTAGGED, rows)), ...steps.slice(apply + 1)];
}
