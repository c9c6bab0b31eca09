import type { CloudStackCallEvent } from '@hostnet/cloudstack';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Seconds buckets for calls that take milliseconds to a couple of minutes (CloudStack, SSH). */
export const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/**
 * One Prometheus registry per app (not prom-client's global one, so api and worker can share a
 * process in tests) with what both apps measure: CloudStack calls (and, in the mains, the Node
 * process). Apps add
 * their own metrics to `registry`.
 */
export class HostnetMetrics {
  readonly registry = new Registry();
  private readonly cloudstackCalls = new Counter({
    name: 'hostnet_cloudstack_requests_total',
    help: 'HTTP requests to CloudStack by command and result (ok, or the error kind); retries and async polls count',
    labelNames: ['command', 'result'] as const,
    registers: [this.registry],
  });
  private readonly cloudstackDuration = new Histogram({
    name: 'hostnet_cloudstack_request_duration_seconds',
    help: 'Duration of HTTP requests to CloudStack by command',
    labelNames: ['command'] as const,
    buckets: CALL_BUCKETS,
    registers: [this.registry],
  });

  constructor(readonly app: 'api' | 'worker') {
    this.registry.setDefaultLabels({ app });
  }

  /**
   * Adds prom-client's process and Node metrics (CPU, memory, event loop lag, GC). Called by the
   * mains only: they start observers that live as long as the process, which tests booting many
   * apps in one process do not want.
   */
  collectProcessMetrics(): void {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The CloudStack client's observer (see CloudStackClientOptions.observer). */
  readonly observeCloudStackCall = (event: CloudStackCallEvent): void => {
    this.cloudstackCalls.inc({ command: event.command, result: event.result });
    this.cloudstackDuration.observe({ command: event.command }, event.durationMs / 1000);
  };

  /** The text exposition format, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
