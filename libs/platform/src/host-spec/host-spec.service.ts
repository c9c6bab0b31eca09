import { buildHostIntent, type HostNetworkIntent, type ProfileSet } from '@hostnet/intent';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { specHash } from '@hostnet/contracts';

export interface HostSpec {
  intent: HostNetworkIntent;
  specHash: string;
}

/**
 * What a host should look like, derived the same way by api (to dedupe and decide) and by the
 * worker (to apply): CloudStack topology + the operator's profiles → validated intent + its hash.
 */
export class HostSpecService {
  constructor(private readonly profiles: ProfileSet) {}

  specFor(topology: ZoneNetworkTopology, hostId: string): HostSpec {
    const intent = buildHostIntent({ topology, hostId, profileSet: this.profiles });
    return { intent, specHash: specHash(intent) };
  }
}
