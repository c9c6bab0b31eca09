import type { KvmHost } from '@hostnet/cloudstack';
import type { RunAllocation } from '@hostnet/contracts';

const STATE = /^[A-Za-z]{1,40}$/;

/**
 * Why a verified run must not enable its host (reconnecting a cut-off host is still allowed), or
 * undefined. `allocation` is api's own record of the run (InFlightRun), `host` CloudStack's answer read
 * after the result arrived, `run.seenEnabledAt` the poller's last sighting of the host Enabled (EnabledSightings). Only a host Disabled when the run was triggered, and not by someone's choice,
 * is enabled: a host disabled while its run was under way was disabled by someone meaning it.
 */
export function enableWithheld(allocation: RunAllocation | undefined, host: KvmHost, run: { at: string; seenEnabledAt?: string }): string | undefined {
  if (!allocation) return 'the run was recorded without the allocation state its trigger saw (it was enqueued by an older api); fix: configure the host again';
  if (typeof allocation.atTrigger !== 'string' || !STATE.test(allocation.atTrigger) || typeof allocation.enable !== 'boolean') {
    return 'the run\'s allocation record is malformed (allocation.atTrigger must be a CloudStack resource state, allocation.enable a boolean); fix: configure the host again';
  }
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
