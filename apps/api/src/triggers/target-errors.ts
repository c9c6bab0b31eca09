import { HostnetError } from '@hostnet/contracts';

/** Thrown when a requested host, cluster or zone is not in CloudStack (or holds no KVM host). */
export class TargetNotFoundError extends HostnetError {
  override readonly name = 'TargetNotFoundError';
  /** Asking again names the same nothing. */
  readonly permanent = true;

  constructor(
    message: string,
    /** CloudStack has no such entity at all (not merely: it is not a KVM host). */
    readonly unknownToCloudStack = false,
  ) {
    super(message);
  }
}

/** One entity a name could mean. */
export interface TargetCandidate {
  id: string;
  name: string;
  zoneId?: string;
  zoneName?: string;
}

/** A name matched several hosts, clusters or zones: CloudStack names are not unique, ids are. */
export class AmbiguousTargetError extends HostnetError {
  override readonly name = 'AmbiguousTargetError';
  readonly permanent = true;

  constructor(
    readonly kind: 'host' | 'cluster' | 'zone',
    readonly wanted: string,
    readonly candidates: readonly TargetCandidate[],
  ) {
    const listed = candidates.map((c) => `${c.id}${c.zoneName ? ` (zone ${JSON.stringify(c.zoneName)})` : c.zoneId ? ` (zone ${c.zoneId})` : ''}`).join(', ');
    super(`${kind} name ${JSON.stringify(wanted)} matches ${candidates.length} ${kind}s: ${listed}; pass the ${kind} id instead`);
  }
}
