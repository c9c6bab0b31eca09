import { Counter, Gauge } from 'prom-client';
import type { HostnetMetrics } from '@hostnet/platform';
import type { WarmSessions } from '@hostnet/ssh';

/** Kept SSH connections (HOSTNET_SSH_KEEP_SECONDS), read at scrape time: how many are open, how many runs used one. */
export function keptConnectionMetrics(metrics: HostnetMetrics, warm: WarmSessions): void {
  new Gauge({
    name: 'hostnet_ssh_kept_connections',
    help: 'SSH connections the worker keeps open for the next run of their host',
    registers: [metrics.registry],
    collect() {
      this.set(warm.size);
    },
  });
  new Counter({
    name: 'hostnet_ssh_kept_connections_used_total',
    help: 'Runs whose facts read used a connection kept from an earlier run instead of a new connect',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(warm.reused);
    },
  });
}
