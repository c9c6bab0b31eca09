import { isPendingHostId, pendingHostId } from '@hostnet/host-spec';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { ENDED_UNADDED } from './add-attempt.host-resolver';

/** What the add records of other addresses under the new host's name come to: one still running, or failed ones. */
export type PendingAddClash = { running: HostStatusRecord } | { failed: HostStatusRecord[] };

/**
 * The POST /hosts/add records (pending-<ip>) of another address that carry the new host's name. One still running
 * refuses the add: two hosts would be configured, then added, as one name. Failed ones are what the new add
 * replaces: an add sent again with the address corrected, which would otherwise leave the mistaken record beside
 * it, under the same name, for PENDING_RECORD_TTL_SECONDS.
 */
export function pendingAddClash(records: readonly HostStatusRecord[], name: string, ipAddress: string): PendingAddClash | undefined {
  const own = pendingHostId(ipAddress);
  const same = records.filter((r) => isPendingHostId(r.hostId) && r.hostId !== own && r.hostName?.toLowerCase() === name.toLowerCase());
  const running = same.find((r) => !ENDED_UNADDED.has(r.phase) && r.phase !== 'enabled');
  if (running) return { running };
  const failed = same.filter((r) => ENDED_UNADDED.has(r.phase));
  return failed.length > 0 ? { failed } : undefined;
}

/** The 409 for an add of a name whose other add is still running, naming that record and what to do. */
export function runningAddMessage(name: string, ipAddress: string, running: HostStatusRecord): string {
  return (
    `host ${name} (${ipAddress}) not added: a POST /hosts/add of ${name} for another address is still running as ${running.hostId} ` +
    `(${running.phase} since ${running.at}); fix: wait for it to end (hostnet host --host ${running.hostId}), then send this add again: ` +
    `a failed add of ${name} is replaced by it, one that succeeded makes ${name} CloudStack's`
  );
}
