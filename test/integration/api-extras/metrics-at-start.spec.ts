import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HOST_RUN_STATUSES } from '@hostnet/contracts';
import { HostnetMetrics } from '@hostnet/platform';
import { RENDER_TARGETS } from '@hostnet/render';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { MetricsController } from '../../../apps/api/src/metrics/metrics.controller';
import { RunMetrics } from '../../../apps/api/src/metrics/run-metrics';
import { baseUrl, TOKEN } from './api-extras.fixtures';

/** Grafana reads a counter that has no series yet as "No data": api's run counters exist, at 0, from its start. */
describe('GET /metrics before any run', () => {
  let app: INestApplication;
  let text: string;

  beforeAll(async () => {
    const root = {
      module: class MetricsAtStartModule {},
      controllers: [MetricsController],
      providers: [{ provide: HostnetMetrics, useValue: new HostnetMetrics('api') }, { provide: API_TOKEN, useValue: TOKEN }, RunMetrics],
    };
    app = await NestFactory.create(root, { logger: false });
    await app.listen(0, '127.0.0.1');
    const res = await fetch(`${baseUrl(app.getHttpServer())}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    text = await res.text();
  });
  afterAll(async () => app?.close());

  it('has every run status of every target, and rollbacks of every target, at 0', () => {
    for (const target of RENDER_TARGETS) {
      for (const status of HOST_RUN_STATUSES) expect(text).toContain(`hostnet_host_runs_total{status="${status}",target="${target}",app="api"} 0\n`);
      expect(text).toContain(`hostnet_rollbacks_total{target="${target}",app="api"} 0\n`);
    }
    expect(text).toContain('hostnet_host_runs_total{status="failed",target="unknown",app="api"} 0\n');
  });

  it('counts the first run from 0 on', async () => {
    app.get(RunMetrics).observe({ status: 'rolled-back', target: 'netplan-linux', rollback: { armedSeconds: 90, triggered: true } });
    const after = await (await fetch(`${baseUrl(app.getHttpServer())}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(after).toContain('hostnet_host_runs_total{status="rolled-back",target="netplan-linux",app="api"} 1\n');
    expect(after).toContain('hostnet_rollbacks_total{target="netplan-linux",app="api"} 1\n');
    expect(after).toContain('hostnet_rollbacks_total{target="netplan-ovs",app="api"} 0\n');
  });
});
