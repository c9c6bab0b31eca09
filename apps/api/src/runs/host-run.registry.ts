import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import type { RunAllocation } from '@hostnet/contracts';
import { STATUS_PREFIX, STATUS_REDIS } from '../hosts/host-status.repository';

/** The one run api has in flight for a host, from enqueue until its result is handled. */
export interface InFlightRun {
  /** The configure request's `requestId`: a result must name it to be accepted. */
  runId: string;
  jobId: string;
  /** `resolve`: an operator's rollback of a stuck run; no configure run starts while it holds the host. */
  mode: 'apply' | 'dry-run' | 'resolve';
  /** Empty for a resolve: it carries no spec. */
  specHash: string;
  at: string;
  /** The result job that took this run; any other result naming it is rejected. */
  resultJobId?: string;
  /** What started it (runs recorded before this field existed have none); drift checks count theirs. */
  trigger?: 'poller' | 'operator' | 'add-host' | 'webhook' | 'drift';
  /** Set for a relabel rollout's host step: only a result of that step is this run's, and a step's result never a plain run's. */
  relabel?: { rolloutId: string; layout: 'old' | 'both' | 'new'; restartAgent: boolean };
  /** The allocation its trigger saw and whether it may enable the host: a result is enabled by this, never by its own copy. */
  allocation?: RunAllocation;
  /**
   * An operator's `enable` that joined this run before its result was taken (askEnable): the allocation their
   * trigger saw, when they asked, and who (their requestedBy). It stands instead of `allocation` when the result is handled (runAllocationOf);
   * `allocation` stays as enqueued, the one the job and its result carry (result-binding.ts).
   */
  enableAsked?: { allocation: RunAllocation; at: string; by?: string };
  /**
   * When this run's enable sent (or was about to send) reconnectHost: a retry of its result waits for that
   * reconnect instead of sending another (one reconnect per verified run).
   */
  reconnectSentAt?: string;
}

/** What answers "may this run enable its host": an operator's ask that joined it, else its trigger's allocation. */
export function runAllocationOf(run: InFlightRun): { allocation: RunAllocation | undefined; at: string } {
  return run.enableAsked ? { allocation: run.enableAsked.allocation, at: run.enableAsked.at } : { allocation: run.allocation, at: run.at };
}

/** How an operator's ask to enable fared on the run it joined. */
export type EnableAskAnswer = 'recorded' | 'result-taken' | 'gone';

/** Replaces or deletes the record only while it still holds the run the caller saw. */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if not current or cjson.decode(current).runId ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1`;

/** Sets the result that takes the run (once) and answers the run as stored, whatever else changed on it meanwhile. */
const BIND_RESULT = `
local current = redis.call('GET', KEYS[1])
if not current then return false end
local run = cjson.decode(current)
if run.runId ~= ARGV[1] then return false end
if run.resultJobId then return current end
run.resultJobId = ARGV[2]
current = cjson.encode(run)
redis.call('SET', KEYS[1], current)
return current`;

/** Records an operator's enable on the run, only while no result has taken it (the handler reads the run once it binds). */
const ASK_ENABLE = `
local current = redis.call('GET', KEYS[1])
if not current then return 'gone' end
local run = cjson.decode(current)
if run.runId ~= ARGV[1] then return 'gone' end
if run.resultJobId then return 'result-taken' end
run.enableAsked = cjson.decode(ARGV[2])
redis.call('SET', KEYS[1], cjson.encode(run))
return 'recorded'`;

/** Sets (ARGV[2]) or clears (empty) the run's reconnectSentAt, only while it is still the run in flight. */
const MARK_RECONNECT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local run = cjson.decode(current)
if run.runId ~= ARGV[1] then return 0 end
if ARGV[2] == '' then run.reconnectSentAt = nil else run.reconnectSentAt = ARGV[2] end
redis.call('SET', KEYS[1], cjson.encode(run))
return 1`;

/**
 * In-flight runs per host in Redis, shared by every api replica. A trigger claims the host or
 * joins the run already there; a result is accepted only for the run recorded here, once.
 */
@Injectable()
export class HostRunRegistry {
  constructor(
    @Inject(STATUS_REDIS) private readonly redis: Redis,
    @Inject(STATUS_PREFIX) private readonly prefix: string,
  ) {}

  /** Records `run` unless a run is in flight: then that run is returned and nothing changes. */
  async claim(hostId: string, run: InFlightRun): Promise<InFlightRun | undefined> {
    for (;;) {
      if ((await this.redis.set(this.key(hostId), JSON.stringify(run), 'NX')) === 'OK') return undefined;
      const current = await this.current(hostId);
      if (current) return current; // else it was released in between: claim again
    }
  }

  async current(hostId: string): Promise<InFlightRun | undefined> {
    const json = await this.redis.get(this.key(hostId));
    return json ? (JSON.parse(json) as InFlightRun) : undefined;
  }

  /** The runs in flight for many hosts in one round trip, in the order asked. */
  async currentMany(hostIds: string[]): Promise<(InFlightRun | undefined)[]> {
    if (hostIds.length === 0) return [];
    const values = await this.redis.mget(hostIds.map((id) => this.key(id)));
    return values.map((json) => (json ? (JSON.parse(json) as InFlightRun) : undefined));
  }

  /** Swaps `expectedRunId` for `run`; false when another run took its place first. */
  async replace(hostId: string, expectedRunId: string, run: InFlightRun): Promise<boolean> {
    return (await this.redis.eval(COMPARE_AND_SET, 1, this.key(hostId), expectedRunId, JSON.stringify(run))) === 1;
  }

  /**
   * Binds `resultJobId` to `runId` (a first result takes the run; a retry of it finds it bound) and answers the
   * run as stored then, an operator's enable that joined it included; undefined when `runId` is not in flight.
   * In one script: an ask recorded between a read and a write of the whole run would otherwise be lost.
   */
  async bindResult(hostId: string, runId: string, resultJobId: string): Promise<InFlightRun | undefined> {
    const json = (await this.redis.eval(BIND_RESULT, 1, this.key(hostId), runId, resultJobId)) as string | null;
    return json ? (JSON.parse(json) as InFlightRun) : undefined;
  }

  /**
   * Records an operator's ask to enable on run `runId` (they joined it): `recorded` while no result has taken
   * the run, `result-taken` once one has (its handler decides with what it read), `gone` when it is not in flight.
   */
  async askEnable(hostId: string, runId: string, ask: NonNullable<InFlightRun['enableAsked']>): Promise<EnableAskAnswer> {
    return (await this.redis.eval(ASK_ENABLE, 1, this.key(hostId), runId, JSON.stringify(ask))) as EnableAskAnswer;
  }

  /** Records (`at`) or takes back (undefined) run `runId`'s reconnect; false when the run is no longer in flight. */
  async markReconnect(hostId: string, runId: string, at: string | undefined): Promise<boolean> {
    return (await this.redis.eval(MARK_RECONNECT, 1, this.key(hostId), runId, at ?? '')) === 1;
  }

  /** Ends `runId` (its result was handled); a newer run in its place is left alone. */
  async release(hostId: string, runId: string): Promise<boolean> {
    return (await this.redis.eval(COMPARE_AND_SET, 1, this.key(hostId), runId, '')) === 1;
  }

  private key(hostId: string): string {
    return `${this.prefix}:run:${hostId}`;
  }
}
