import type { Queue } from 'bullmq';
import { HostnetMetrics } from '@hostnet/platform';
import type { HostStatusRepository } from '../hosts/host-status.repository';
import type { HostStatusRecord } from '../hosts/host-status.types';
import { StateGauges } from './state-gauges';

const record = (hostId: string, phase: HostStatusRecord['phase'], drifted?: boolean): HostStatusRecord => ({
  hostId, hostName: hostId, zoneId: 'z1', phase, at: '2026-01-01T00:00:00.000Z', ...(drifted === undefined ? {} : { drifted }),
});

describe('StateGauges', () => {
  it('reads the statuses once per scrape and counts every phase, resolved included', async () => {
    let reads = 0;
    const statuses = {
      all: async () => {
        reads++;
        return reads === 1 ? [record('h1', 'resolved'), record('h2', 'enabled', true), { ...record('h3', 'enabled', true), dryRun: true, dryRunIncomplete: true }] : [record('h1', 'queued')];
      },
    } as unknown as HostStatusRepository;
    const queue = (name: string) => ({ name, getJobCounts: async () => ({}) }) as unknown as Queue;
    const metrics = new HostnetMetrics('api');
    new StateGauges(metrics, statuses, queue('host-network'), queue('host-results'));

    const text = await metrics.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toMatch(/^hostnet_hosts\{phase="resolved",app="api"\} 1$/m);
    expect(text).toMatch(/^hostnet_hosts\{phase="enabled",app="api"\} 2$/m);
    expect(text).toMatch(/^hostnet_hosts\{phase="queued",app="api"\} 0$/m);
    expect(text).toMatch(/^hostnet_drifted_hosts\{app="api"\} 1$/m);
    expect(text).toMatch(/^hostnet_check_incomplete_hosts\{app="api"\} 1$/m);

    const next = await metrics.registry.metrics();
    expect(reads).toBe(2);
    expect(next).toMatch(/^hostnet_hosts\{phase="resolved",app="api"\} 0$/m);
    expect(next).toMatch(/^hostnet_drifted_hosts\{app="api"\} 0$/m);
    expect(next).toMatch(/^hostnet_check_incomplete_hosts\{app="api"\} 0$/m);
  });
});
