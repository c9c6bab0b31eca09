import type { KvmHost } from '@hostnet/cloudstack';
import type { RunAllocation } from '@hostnet/contracts';

const STATE = /^[A-Za-z]{1,40}$/;

/**
 * Why a verified run must not enable its host (reconnecting a cut-off host is still allowed), or
 * undefined. `allocation` is api's own record of the run (InFlightRun), `host` CloudStack's answer read
 * after the result arrived. Only a host Disabled when the run was triggered, and not by someone's choice,
 * is enabled: a host disabled while its run was under way was disabled by someone meaning it.
 */
export function enableWithheld(allocation: RunAllocation | undefined, host: KvmHost): string | undefined {
  if (!allocation) return 'the run was recorded without the allocation state its trigger saw (it was enqueued by an older api); fix: configure the host again';
  if (typeof allocation.atTrigger !== 'string' || !STATE.test(allocation.atTrigger) || typeof allocation.enable !== 'boolean') {
    return 'the run\'s allocation record is malformed (allocation.atTrigger must be a CloudStack resource state, allocation.enable a boolean); fix: configure the host again';
  }
  if (!allocation.enable) return allocation.withheld ?? 'its trigger withheld the enable; fix: enable the host in CloudStack';
  if (host.resourceState === 'Disabled' && allocation.atTrigger !== 'Disabled') {
    return `CloudStack showed the host ${allocation.atTrigger} when this run was triggered and shows it Disabled now: someone disabled it during the run; fix: enable it in CloudStack, or configure it with "enable": true (hostnet configure --host ${host.id} --enable) to have hostnet enable it after a verified run`;
  }
  return undefined;
}
