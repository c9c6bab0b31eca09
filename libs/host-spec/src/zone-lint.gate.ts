import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { HostnetError } from '@hostnet/contracts';
import { lintErrorsForHost, lintZone, whereText, type LintFinding, type ProfileSet } from '@hostnet/intent';

/** A run refused because the zone lint has an error that concerns the host; the message carries the findings. */
export class ZoneLintRefusal extends HostnetError {
  readonly permanent = true;

  constructor(
    readonly hostId: string,
    readonly findings: readonly LintFinding[],
  ) {
    super(
      `zone lint refuses a run of host ${hostId} (${findings.length} error${findings.length === 1 ? '' : 's'}; hostnet lint --zone lists them all): ` +
        findings.map((f) => `[${f.code}] ${whereText(f.where)}: ${f.message}`).join(' | '),
    );
  }
}

/**
 * "The same checks before any run" (issue 11 item 7): the zone lint, computed once per topology object
 * (a zone trigger shares one topology across its hosts) and asked per host.
 */
export class ZoneLintGate {
  private readonly cache = new WeakMap<ZoneNetworkTopology, LintFinding[]>();

  constructor(private readonly profiles: ProfileSet) {}

  /** The lint errors that concern `hostId` (empty when its run may go ahead). */
  errorsFor(topology: ZoneNetworkTopology, hostId: string): LintFinding[] {
    let findings = this.cache.get(topology);
    if (findings === undefined) {
      findings = lintZone({ topology, profileSet: this.profiles });
      this.cache.set(topology, findings);
    }
    return lintErrorsForHost(findings, hostId);
  }

  /** Throws ZoneLintRefusal when the zone lint has an error concerning `hostId`. */
  assertRunnable(topology: ZoneNetworkTopology, hostId: string): void {
    const errors = this.errorsFor(topology, hostId);
    if (errors.length > 0) throw new ZoneLintRefusal(hostId, errors);
  }
}
