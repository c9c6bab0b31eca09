import type { CloudStackClient } from '@hostnet/cloudstack';
import type { ApiConfig } from '../api-config';

/**
 * The zones poller and drift passes cover: POLL_ZONES, or every zone CloudStack lists. The list is
 * read once per CLOUDSTACK_TOPOLOGY_TTL_MS like the rest of a zone's static topology, so a pass
 * costs only its listHosts pages; a zone added in CloudStack is watched within that TTL.
 */
export class WatchedZones {
  private listed?: { at: number; ids: Promise<string[]> };

  constructor(
    private readonly config: Pick<ApiConfig, 'POLL_ZONES' | 'CLOUDSTACK_TOPOLOGY_TTL_MS'>,
    private readonly cloudstack: Pick<CloudStackClient, 'listZones'>,
    private readonly now: () => number = Date.now,
  ) {}

  ids(): Promise<string[]> {
    const configured = this.config.POLL_ZONES.split(',').map((z) => z.trim()).filter(Boolean);
    if (configured.length > 0) return Promise.resolve(configured);
    if (this.listed && this.now() - this.listed.at < this.config.CLOUDSTACK_TOPOLOGY_TTL_MS) return this.listed.ids;
    const listed = { at: this.now(), ids: this.cloudstack.listZones({}).then((zones) => zones.map((z) => z.id)) };
    this.listed = listed;
    listed.ids.catch(() => {
      if (this.listed === listed) this.listed = undefined;
    });
    return listed.ids;
  }
}
