import { Injectable } from '@nestjs/common';
import { namedAs } from '@hostnet/contracts';
import { CloudStackClient, isUnknownEntityError, type KvmHost } from '@hostnet/cloudstack';
import { AmbiguousTargetError, TargetNotFoundError } from './target-errors';
import { isCloudStackUuid } from './cloudstack-uuid';

/**
 * Finds a KVM host as an operator named it: by id, else by exact name, else by case-insensitive name
 * (as clusters and zones are found). A name CloudStack holds in several zones is refused with the ids.
 */
@Injectable()
export class HostResolver {
  constructor(private readonly cloudstack: CloudStackClient) {}

  async resolve(idOrName: string): Promise<KvmHost> {
    const wanted = idOrName.trim();
    if (isCloudStackUuid(wanted)) return this.byId(wanted);
    // Every KVM host (listHosts pages): one operator request, not a poller pass.
    const all = await this.cloudstack.listHosts({});
    const matches = namedAs(all, wanted, (h) => h.name);
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) throw new AmbiguousTargetError('host', wanted, matches.map((h) => ({ id: h.id, name: h.name, zoneId: h.zoneId })));
    throw new TargetNotFoundError(`CloudStack has no KVM host with id or name ${JSON.stringify(wanted)}`, true);
  }

  /**
   * An id: CloudStack's 431 says it names no host at all (a webhook from another cloud answers 404 on
   * that); an empty answer, that it names a host hostnet does not manage (not KVM).
   */
  private async byId(id: string): Promise<KvmHost> {
    let hosts: KvmHost[];
    try {
      hosts = await this.cloudstack.listHosts({ id });
    } catch (error) {
      if (isUnknownEntityError(error, 'id')) throw new TargetNotFoundError(`CloudStack has no host with id ${id}`, true);
      throw error;
    }
    if (!hosts[0]) throw new TargetNotFoundError(`no KVM host with id ${id} in CloudStack`);
    return hosts[0];
  }
}
