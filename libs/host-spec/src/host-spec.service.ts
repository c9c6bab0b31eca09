import { buildHostIntent, relabelIntent, type HostNetworkIntent, type ProfileSet } from '@hostnet/intent';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { specHash, type RelabelHostStep } from '@hostnet/contracts';
import { DerivedSpecMemo } from './derived-spec.memo';
import { ZoneLintGate } from './zone-lint.gate';

export interface HostSpec {
  intent: HostNetworkIntent;
  specHash: string;
}

/**
 * What a host should look like, derived by api alone (at trigger, and again at result time to see
 * whether CloudStack changed): CloudStack topology + the operator's profiles → validated intent + its
 * hash. The worker applies the spec api stored (HostRunSpecRepository), never deriving one.
 * The one holder of the current profiles in a process: a reload swaps them here, in one assignment,
 * so a derivation sees either the old set or the new one, never a mix.
 */
export class HostSpecService {
  private current: ProfileSet;
  private readonly memo = new DerivedSpecMemo<HostSpec>();
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
    this.memo.clear();
  }

  /**
   * With `relabel` (a relabel rollout's host step, as the configure job carries it): the intent for the
   * step's layout, and a hash over that intent and the whole step, so a step of another layout or
   * rollout never looks like the same spec.
   */
  specFor(topology: ZoneNetworkTopology, hostId: string, relabel?: RelabelHostStep): HostSpec {
    const spec = this.derived(topology, hostId);
    return relabel ? relabelHostSpec(spec.intent, relabel) : spec;
  }

  /**
   * `specFor` (without a relabel step) for many hosts of one topology asked one after another in the same
   * synchronous run, as a poller pass decides every host of its zone: the rest of the zone is serialized for the
   * memo once instead of once per host, most of the memo's cost on a 1,000-host zone. Nothing can change the
   * topology between calls made without an await between them; a call made after one serializes it anew.
   */
  specsIn(topology: ZoneNetworkTopology): (hostId: string) => HostSpec {
    let zoneKey: string | undefined;
    let sameRun = true;
    queueMicrotask(() => (sameRun = false));
    const key = () => (sameRun ? (zoneKey ??= DerivedSpecMemo.zoneKey(topology)) : DerivedSpecMemo.zoneKey(topology));
    return (hostId) => this.derived(topology, hostId, key);
  }

  private derived(topology: ZoneNetworkTopology, hostId: string, zoneKey?: () => string): HostSpec {
    const profileSet = this.current;
    const derive = () => {
      const intent = buildHostIntent({ topology, hostId, profileSet });
      return { intent, specHash: hostSpecHash(intent) };
    };
    return zoneKey ? this.memo.get(topology, hostId, profileSet, derive, zoneKey) : this.memo.get(topology, hostId, profileSet, derive);
  }
}

/** The spec of a relabel host step from the intent CloudStack gives (old or new label: the same result). */
export function relabelHostSpec(derived: HostNetworkIntent, relabel: RelabelHostStep): HostSpec {
  const intent = relabelIntent(derived, relabel);
  return { intent, specHash: hostSpecHash(intent, relabel) };
}

/**
 * The hash of a spec whose intent is already final (a relabel overlay applied): over the intent alone,
 * or over the intent and the whole relabel step. The worker re-computes it over the spec api stored.
 */
export function hostSpecHash(intent: HostNetworkIntent, relabel?: RelabelHostStep): string {
  if (!relabel) return specHash(intent);
  const step = { rolloutId: relabel.rolloutId, layout: relabel.layout, changes: relabel.changes, restartAgent: relabel.restartAgent };
  return specHash({ intent, relabel: step });
}
