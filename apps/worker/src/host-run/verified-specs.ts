import type { ConfigureHostJobData } from '@hostnet/contracts';
import { deepFreeze } from '@hostnet/contracts';
import type { HostRunSpec } from '@hostnet/host-spec';
import { expectedLiveState, type LiveState } from '@hostnet/intent';
import type { HostRunSpecRepository } from '@hostnet/platform';
import { candidatePaths } from './candidate-paths';
import { storedRunSpec } from './stored-run-spec';

/** A run spec checked against its hash, with the file paths its facts ask for. */
export interface VerifiedSpec {
  spec: HostRunSpec;
  /** candidatePaths(spec.intent): every file any target of its backend could write. */
  paths: readonly string[];
  /** expectedLiveState(spec.intent): what verification and the agent's checks compare the host with. */
  expectedLive: LiveState;
}

/** Enough for every host of a large zone re-run on one worker; a spec is a few kB. */
const DEFAULT_CAPACITY = 2_000;

/**
 * A spec hash names one intent (with its relabel step). Once the worker has read a spec from Redis and
 * checked it against its hash (storedRunSpec), a later job with that hash for the same host, as the job
 * names it (a no-op re-run, a drift check, a retry), is served from here, without a Redis read, a parse,
 * a re-hash, the paths of every target and its expected live state. Any other job reads and checks again, as before.
 * Least recently used entries go first.
 */
export class VerifiedSpecs {
  private readonly byKey = new Map<string, VerifiedSpec>();

  constructor(
    private readonly repository: Pick<HostRunSpecRepository, 'spec'>,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  async forJob(job: ConfigureHostJobData): Promise<VerifiedSpec> {
    // The hash covers a relabel step too: a job whose step differs from the one checked is checked anew.
    const key = `${job.specHash}\u0000${JSON.stringify(job.relabel ?? null)}`;
    const kept = this.byKey.get(key);
    // The hash covers the intent (the host's address is in it), not the host's name or zone, which
    // choose its SSH endpoint: a host renamed in CloudStack is read again, as api stored it.
    const { host } = kept?.spec ?? {};
    if (kept && host?.id === job.hostId && host.name === job.hostName && host.zoneId === job.zoneId) {
      this.byKey.delete(key);
      this.byKey.set(key, kept);
      return kept;
    }
    const spec = deepFreeze(storedRunSpec(job, await this.repository.spec(job.specHash)));
    const verified: VerifiedSpec = { spec, paths: Object.freeze(candidatePaths(spec.intent)), expectedLive: deepFreeze(expectedLiveState(spec.intent)) };
    this.byKey.set(key, verified);
    if (this.byKey.size > this.capacity) this.byKey.delete(this.byKey.keys().next().value!);
    return verified;
  }
}
