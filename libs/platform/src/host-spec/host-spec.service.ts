import { buildHostIntent, relabelIntent, type HostNetworkIntent, type ProfileSet } from '@hostnet/intent';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { specHash, type RelabelHostStep } from '@hostnet/contracts';
import { ZoneLintGate } from './zone-lint.gate';

export interface HostSpec {
  intent: HostNetworkIntent;
  specHash: string;
}

/**
 * What a host should look like, derived the same way by api (to dedupe and decide) and by the
 * worker (to apply): CloudStack topology + the operator's profiles → validated intent + its hash.
 * The one holder of the current profiles in a process: a reload swaps them here, in one assignment,
 * so a derivation sees either the old set or the new one, never a mix.
 */
export class HostSpecService {
  private current: ProfileSet;
  /** The zone lint asked before any run (ZoneLintGate.assertRunnable); rebuilt with the profiles. */
  lint: ZoneLintGate;

  constructor(profiles: ProfileSet) {
    this.current = profiles;
    this.lint = new ZoneLintGate(profiles);
  }

  /** The profiles specs are derived from right now. */
  get profiles(): ProfileSet {
    return this.current;
  }

  /** Replaces the profiles (already validated: see ProfileReloader), and the lint that reads them. */
  useProfiles(profiles: ProfileSet): void {
    this.current = profiles;
    this.lint = new ZoneLintGate(profiles);
  }

  /**
   * With `relabel` (a relabel rollout's host step, as the configure job carries it): the intent for the
   * step's layout, and a hash over that intent and the whole step, so api (at enqueue) and the worker
   * (at run) agree, and a step of another layout or rollout never looks like the same spec.
   */
  specFor(topology: ZoneNetworkTopology, hostId: string, relabel?: RelabelHostStep): HostSpec {
    const derived = buildHostIntent({ topology, hostId, profileSet: this.current });
    return relabel ? relabelHostSpec(derived, relabel) : { intent: derived, specHash: specHash(derived) };
  }
}

/** The spec of a relabel host step from the intent CloudStack gives (old or new label: the same result). */
export function relabelHostSpec(derived: HostNetworkIntent, relabel: RelabelHostStep): HostSpec {
  const intent = relabelIntent(derived, relabel);
  const step = { rolloutId: relabel.rolloutId, layout: relabel.layout, changes: relabel.changes, restartAgent: relabel.restartAgent };
  return { intent, specHash: specHash({ intent, relabel: step }) };
}
