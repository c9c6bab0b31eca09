import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { HostStatusRepository, STATUS_PREFIX, STATUS_REDIS } from '../../../apps/api/src/hosts/host-status.repository';
import type { HostStatusRecord } from '../../../apps/api/src/hosts/host-status.types';
import {
  TargetNotFoundError,
  type HostTriggerResult,
  type TriggerOptions,
} from '../../../apps/api/src/triggers/host-trigger.service';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TOKEN = 'test-token-0123456789abcdef';

/** A prefix no other run shares, so parallel specs and leftovers never meet. */
export function uniquePrefix(area: string): string {
  return `hostnet-test-${area}-${randomUUID().slice(0, 8)}`;
}

/** Our own HostTriggerService's shape, recording calls; `missing` hosts behave as not KVM, `unknown` ones as not in CloudStack. */
export class RecordingHostTrigger {
  readonly calls: { hostId: string; options: TriggerOptions }[] = [];
  readonly missing = new Set<string>();
  /** Hosts CloudStack has never heard of (its 431 for an unknown id). */
  readonly unknown = new Set<string>();
  failWith: Error | undefined;

  async triggerHost(hostId: string, options: TriggerOptions): Promise<HostTriggerResult> {
    this.calls.push({ hostId, options });
    if (this.failWith) throw this.failWith;
    if (this.unknown.has(hostId)) throw new TargetNotFoundError(`CloudStack has no host with id ${hostId}`, true);
    if (this.missing.has(hostId)) throw new TargetNotFoundError(`no KVM host with id ${hostId} in CloudStack`);
    return { hostId, hostName: `kvm-${hostId.slice(0, 4)}`, jobId: `host-${hostId}`, enqueued: true };
  }
}

/** A module exporting a real Redis-backed HostStatusRepository plus any extra providers. */
export function depsModule(prefix: string, extra: Provider[] = []): DynamicModule {
  const providers: Provider[] = [
    { provide: STATUS_REDIS, useFactory: () => new Redis(REDIS_URL, { maxRetriesPerRequest: 1 }) },
    { provide: STATUS_PREFIX, useValue: prefix },
    HostStatusRepository,
    ...extra,
  ];
  const tokens = providers.map((p) => (typeof p === 'function' ? p : p.provide));
  return { module: TestDepsModule, providers, exports: tokens, global: false };
}

@Module({})
class TestDepsModule {}

/** Deletes every key a spec wrote under its prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}

/** A status record with sensible defaults for dashboard specs. */
export function statusRecord(fields: Partial<HostStatusRecord> & Pick<HostStatusRecord, 'hostId'>): HostStatusRecord {
  return { hostName: `kvm-${fields.hostId}`, zoneId: 'zone-1', clusterId: 'cluster-1', phase: 'queued', at: new Date().toISOString(), ...fields };
}

/** Base URL of a listening Nest app. */
export function baseUrl(server: { address(): unknown }): string {
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** A response's JSON body as a plain object (fetch types it as unknown). */
export async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
