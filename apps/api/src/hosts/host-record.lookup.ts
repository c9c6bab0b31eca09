import { ConflictException, NotFoundException } from '@nestjs/common';
import { namedAs } from '@hostnet/contracts';
import { isPendingHostId } from '@hostnet/host-spec';
import type { HostStatusRepository } from './host-status.repository';
import type { HostStatusRecord } from './host-status.types';

/**
 * A host's latest record by its CloudStack id, else by its name as recorded (exact, else in any case, as
 * configure finds it: host-resolver.ts), for an operator who types `kvm1`. 404 when hostnet has no record
 * of it; 409 naming the ids when several hosts share the name.
 */
export async function latestByIdOrName(statuses: HostStatusRepository, idOrName: string): Promise<HostStatusRecord> {
  const byId = await statuses.latest(idOrName);
  if (byId) return byId;
  const named = namedAs(await statuses.all(), idOrName, (r) => r.hostName);
  // A host CloudStack has since added answers for its name over an earlier add attempt's pending-<ip> record.
  const added = named.filter((r) => !isPendingHostId(r.hostId));
  const matches = added.length > 0 ? added : named;
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new ConflictException(`${matches.length} hosts hostnet recorded are named ${JSON.stringify(idOrName)}: ask by id, one of ${matches.map((r) => `${r.hostId} (zone ${r.zoneName ?? r.zoneId})`).join(', ')}`);
  }
  throw new NotFoundException(`hostnet has no record of a host with id or name ${JSON.stringify(idOrName)}: GET /hosts lists the hosts it has run`);
}
