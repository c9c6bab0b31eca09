import { Histogram } from 'prom-client';
import { CALL_BUCKETS, type HostnetMetrics } from '@hostnet/platform';
import type { SshConnectObserver } from '@hostnet/ssh';

/** The SSH connector's observer: connect latency (TCP + handshake + auth) by how the connect ended. */
export function sshConnectObserver(metrics: HostnetMetrics): SshConnectObserver {
  const histogram = new Histogram({
    name: 'hostnet_ssh_connect_duration_seconds',
    help: 'SSH connect latency (TCP, handshake, host-key check, auth) by result: ok or the SshError name',
    labelNames: ['result'] as const,
    buckets: CALL_BUCKETS,
    registers: [metrics.registry],
  });
  return ({ result, durationMs }) => histogram.observe({ result }, durationMs / 1000);
}
