import { Injectable } from '@nestjs/common';
import { CloudStackClient, type KvmHost } from '@hostnet/cloudstack';
import { namedAs } from '@hostnet/contracts';
import { isPendingHostId } from '@hostnet/host-spec';
import { HostStatusRepository, PENDING_RECORD_TTL_SECONDS } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { HostResolver } from '../triggers/host-resolver';
import { TargetNotFoundError } from '../triggers/target-errors';

const TTL_DAYS = PENDING_RECORD_TTL_SECONDS / 86_400;
/** Phases an add attempt ends in without the host added: only another POST /hosts/add moves it on. */
export const ENDED_UNADDED: ReadonlySet<string> = new Set(['failed', 'rolled-back', 'enable-failed', 'resolved']);

/**
 * HostResolver, with a 404 for a name CloudStack does not know that says what hostnet does know of it: a
 * POST /hosts/add that failed (or is still running), whose pending-<ip> record carries the name. Without it,
 * `configure --host kvm6` after a failed add said only that CloudStack has no such host.
 */
@Injectable()
export class AddAttemptHostResolver extends HostResolver {
  constructor(
    cloudstack: CloudStackClient,
    private readonly statuses: HostStatusRepository,
  ) {
    super(cloudstack);
  }

  override async resolve(idOrName: string): Promise<KvmHost> {
    try {
      return await super.resolve(idOrName);
    } catch (error) {
      if (!(error instanceof TargetNotFoundError)) throw error;
      const attempt = await this.addAttempt(idOrName.trim());
      if (!attempt) throw error;
      throw new TargetNotFoundError(`${error.message}; ${addAttemptHint(attempt)}`, error.unknownToCloudStack);
    }
  }

  /** The newest pending-<ip> record of that id or name, if that is all hostnet has of it. */
  private async addAttempt(idOrName: string): Promise<HostStatusRecord | undefined> {
    if (isPendingHostId(idOrName)) return this.statuses.latest(idOrName);
    const pending = namedAs(await this.statuses.all(), idOrName, (r) => r.hostName).filter((r) => isPendingHostId(r.hostId));
    return pending.sort((a, b) => b.at.localeCompare(a.at))[0];
  }
}

/** What a pending-<ip> record says about the host's add, and what to do. */
export function addAttemptHint(record: HostStatusRecord): string {
  const reason = (record.reason ?? 'no reason recorded').replace(/\s+/g, ' ').trim();
  if (ENDED_UNADDED.has(record.phase)) {
    return `hostnet's only record of it is a POST /hosts/add (as ${record.hostId}) that failed at ${record.at} (${reason}); fix what that names, then send POST /hosts/add again (the record is replaced, or expires ${TTL_DAYS} days after it)`;
  }
  if (record.phase === 'enabled') return `hostnet added it at ${record.at} (${reason}): ask by the id CloudStack gave it`;
  return `its POST /hosts/add (as ${record.hostId}) is still running (${record.phase} since ${record.at}): CloudStack knows it once its network is verified and addHost ran (GET /hosts/${record.hostId})`;
}
