import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Gauge } from 'prom-client';
import { QueueName } from '@hostnet/contracts';
import { HostnetMetrics } from '@hostnet/platform';
import { HostStatusRepository } from '../hosts/host-status.repository';
import { HOST_PHASES, type HostStatusRecord } from '../hosts/host-status.types';

/** BullMQ job states worth a series; finished jobs are removed on purpose, so completed stays near 0. */
const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused', 'failed', 'completed'] as const;

/**
 * Gauges read at scrape time, never kept up to date by hand: jobs by queue and state (BullMQ's
 * getJobCounts), hosts by their latest phase (every phase, so one no host is in shows 0 rather than
 * disappearing), drifted hosts and hosts whose last check did not complete, from one read of the status store
 * per scrape.
 */
@Injectable()
export class StateGauges {
  constructor(
    metrics: HostnetMetrics,
    statuses: HostStatusRepository,
    @InjectQueue(QueueName.HostNetwork) hostNetwork: Queue,
    @InjectQueue(QueueName.HostResults) hostResults: Queue,
  ) {
    const latest = oncePerScrape(() => statuses.all());
    new Gauge({
      name: 'hostnet_jobs',
      help: 'BullMQ jobs by queue and state, read when scraped',
      labelNames: ['queue', 'state'] as const,
      registers: [metrics.registry],
      async collect() {
        this.reset();
        for (const queue of [hostNetwork, hostResults]) {
          const counts = await queue.getJobCounts(...JOB_STATES);
          for (const state of JOB_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    });
    new Gauge({
      name: 'hostnet_hosts',
      help: 'Hosts hostnet has seen, by the phase of their latest status, read when scraped',
      labelNames: ['phase'] as const,
      registers: [metrics.registry],
      async collect() {
        const counts = new Map<string, number>(HOST_PHASES.map((p) => [p, 0]));
        for (const record of await latest()) counts.set(record.phase, (counts.get(record.phase) ?? 0) + 1);
        this.reset();
        for (const [phase, n] of counts) this.set({ phase }, n);
      },
    });
    new Gauge({
      name: 'hostnet_drifted_hosts',
      help: 'Hosts whose latest drift check found their network differs from their intent, read when scraped',
      registers: [metrics.registry],
      async collect() {
        // a check that did not complete keeps the verdict before it, no longer known to hold: counted below instead
        this.set((await latest()).filter((r) => r.drifted === true && !r.dryRunIncomplete).length);
      },
    });
    new Gauge({
      name: 'hostnet_check_incomplete_hosts',
      help: 'Hosts whose latest dry-run (a drift check\'s or an operator\'s) did not complete: unreachable, or refused; whether they drifted is not known. Read when scraped',
      registers: [metrics.registry],
      async collect() {
        this.set((await latest()).filter((r) => r.dryRunIncomplete === true).length);
      },
    });
  }
}

/**
 * `read` shared by every caller while one is in flight: prom-client starts all collects of a scrape
 * together, so the gauges of one scrape see one read, and the next scrape reads afresh.
 */
export function oncePerScrape(read: () => Promise<HostStatusRecord[]>): () => Promise<HostStatusRecord[]> {
  let pending: Promise<HostStatusRecord[]> | undefined;
  return () => (pending ??= read().finally(() => (pending = undefined)));
}
