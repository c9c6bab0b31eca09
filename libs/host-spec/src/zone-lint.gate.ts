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
 * (a zone trigger shares one topology across its hosts) and asked per host. A later topology of the zone
 * with the same content (the next trigger, the next poller pass) is served the same findings: linting a
 * 1,000-host zone built every host's intent again, a quarter second of api's CPU per zone trigger. A
 * host's state and resource state are not inputs of the lint, as they are not of its spec
 * (derived-spec.memo.ts): a zone whose hosts went from Disabled to Enabled lints the same.
 */
export class ZoneLintGate {
  private readonly cache = new WeakMap<ZoneNetworkTopology, LintFinding[]>();
  private readonly byZone = new Map<string, { key: string; findings: LintFinding[] }>();

  constructor(
    private readonly profiles: ProfileSet,
    private readonly lint: typeof lintZone = lintZone,
  ) {}

  /** The lint errors that concern `hostId` (empty when its run may go ahead). */
  errorsFor(topology: ZoneNetworkTopology, hostId: string): LintFinding[] {
    let findings = this.cache.get(topology);
    if (findings === undefined) {
      const key = lintInputKey(topology);
      const kept = this.byZone.get(topology.zone.id);
      findings = kept?.key === key ? kept.findings : this.lint({ topology, profileSet: this.profiles });
      this.byZone.set(topology.zone.id, { key, findings });
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

/** The topology as the lint reads it: everything but the hosts' state and resource state. */
function lintInputKey(topology: ZoneNetworkTopology): string {
  return JSON.stringify({ ...topology, hosts: topology.hosts.map(({ state: _state, resourceState: _resourceState, ...host }) => host) });
}
