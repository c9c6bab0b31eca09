import type { KvmHost } from '@hostnet/cloudstack';
import type { ApplyOutcomeSummary, RunAllocation } from '@hostnet/contracts';

const STATE = /^[A-Za-z]{1,40}$/;

/**
 * Why a verified run must not enable its host (reconnecting a cut-off host is still allowed), or
 * undefined. `allocation` is api's own record of the run (InFlightRun), `host` CloudStack's answer read
 * after the result arrived, `run.seenEnabledAt` the poller's last sighting of the host Enabled (EnabledSightings). Only a host Disabled when the run was triggered, and not by someone's choice,
 * is enabled: a host disabled while its run was under way was disabled by someone meaning it.
 */
export function enableWithheld(allocation: RunAllocation | undefined, host: KvmHost, run: { at: string; seenEnabledAt?: string }): string | undefined {
  const unread = unreadableAllocation(allocation, host);
  if (unread) return unread;
  allocation = allocation as RunAllocation;
  if (!allocation.enable) return allocation.withheld ?? 'its trigger withheld the enable; fix: enable the host in CloudStack';
  if (host.resourceState === 'Disabled' && allocation.atTrigger !== 'Disabled') {
    return `CloudStack showed the host ${allocation.atTrigger} when this run was triggered and shows it Disabled now: someone disabled it during the run; ${fixFor(host)}`;
  }
  if (host.resourceState === 'Disabled' && run.seenEnabledAt !== undefined && Date.parse(run.seenEnabledAt) > Date.parse(run.at)) {
    return `CloudStack listed the host Enabled at ${run.seenEnabledAt}, while this run was under way, and shows it Disabled now: someone disabled it again; ${fixFor(host)}`;
  }
  return undefined;
}

function fixFor(host: KvmHost): string {
  return `fix: enable it in CloudStack, or configure it with "enable": true (hostnet configure --host ${host.id} --enable) to have hostnet enable it after a verified run`;
}

/**
 * Why the run's allocation cannot tell whether its host may be enabled (a run enqueued by an older api, or a
 * malformed record), or undefined. No one chose anything here: the record it leaves must not read as a choice
 * (ENABLE_WITHHELD), or the next trigger would withhold again and the host stay Disabled for good.
 */
export function unreadableAllocation(allocation: RunAllocation | undefined, host: KvmHost): string | undefined {
  const fix = `fix: configure it with "enable": true (hostnet configure --host ${host.id} --enable), or enable it in CloudStack`;
  if (!allocation) return `the run was recorded without the allocation state its trigger saw (it was enqueued by an older api); ${fix}`;
  if (typeof allocation.atTrigger !== 'string' || !STATE.test(allocation.atTrigger) || typeof allocation.enable !== 'boolean') {
    return `the run's allocation record is malformed (allocation.atTrigger must be a CloudStack resource state, allocation.enable a boolean); ${fix}`;
  }
  return undefined;
}

/**
 * Why a verified plain run must not enable its host because the agent still maps the bridges it had, or
 * undefined. The run changed the agent's bridge → pif map (it made a bridge or moved an uplink) and the
 * worker could not restart the agent (`failed`), or would not (`skipped`: agent.properties names a device the
 * host lacks, so a restart would stop it): until it restarts, the agent builds new guest VLAN bridges on the
 * pif it saw at its start. A relabel step never comes here (its rollout reads `agentRestart` itself).
 * Only for a Disabled host, whose enable would be hostnet's.
 */
export function staleAgentMap(outcome: Pick<ApplyOutcomeSummary, 'agentRestart'>, host: KvmHost): string | undefined {
  const restart = outcome.agentRestart;
  if (restart?.status !== 'failed' && restart?.status !== 'skipped') return undefined;
  // hostnet withholds only its own enable: a host CloudStack already shows Enabled stays so, the run's reason says why
  if (host.resourceState !== 'Disabled') return undefined;
  const why = restart.status === 'failed' ? `its restart failed (${restart.detail ?? 'no detail'})` : `it was not restarted (${restart.detail ?? 'no detail'})`;
  return `the run changed the bridges the CloudStack agent maps at its start, and ${why}: the agent still maps the bridges it had; the network is configured and verified; fix: see to the agent on the host (agent.properties, then systemctl restart cloudstack-agent), then configure it again (hostnet configure --host ${host.id}) to have it enabled`;
}
