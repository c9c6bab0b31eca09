import { QueueName } from '@hostnet/contracts';
import { WorkerMetricsServer } from '../../apps/worker/src/metrics/worker-metrics.server';
import { PipelineHarness } from '../support/pipeline-harness';
import { editLive, withoutDefaultRoute } from '../support/sim-live-state';

/** `name{labels} value` lines of a Prometheus text exposition, as a lookup of name+labels → value. */
function parseExposition(text: string): (name: string, labels?: Record<string, string>) => number | undefined {
  const samples = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!m) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, k, v]) => [k!, v!]));
      return { name: m[1]!, labels, value: Number(m[3]) };
    });
  return (name, wanted = {}) =>
    samples.find((s) => s.name === name && Object.entries(wanted).every(([k, v]) => s.labels[k] === v))?.value;
}

describe('Prometheus metrics of api (GET /metrics) and worker (WORKER_METRICS_PORT)', () => {
  let h: PipelineHarness;

  beforeAll(async () => {
    h = await PipelineHarness.start({ hosts: 2, personas: ['ubuntu2204', 'centos7'], env: { WORKER_METRICS_PORT: '0' } });
  }, 30_000);
  afterAll(async () => h?.stop());

  const scrapeApi = async () => {
    const res = await fetch(`${h.apiUrl}/metrics`, { headers: { authorization: `Bearer ${h.env.API_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return parseExposition(await res.text());
  };

  it('is behind the API token', async () => {
    expect((await fetch(`${h.apiUrl}/metrics`)).status).toBe(401);
  });

  it('counts jobs, hosts by phase, runs, their durations, rollbacks and CloudStack calls', async () => {
    const kvm1 = h.host('kvm1');
    const kvm2 = h.host('kvm2');
    await h.waitForPhase(kvm1.id, 'enabled');
    await h.waitForPhase(kvm2.id, 'enabled');
    // A failing step restores the previous config at once: a rollback.
    // drift only netplan apply repairs: a forced run with nothing drifted applies nothing (a re-check)
    editLive(kvm1.kvm, withoutDefaultRoute);
    kvm1.kvm.faults.failCommand = /^netplan apply$/;
    await h.configure(kvm1.id, { force: true, requestedBy: 'e2e-metrics-rollback' });
    await h.waitForPhase(kvm1.id, 'failed', 'e2e-metrics-rollback');

    const m = await scrapeApi();
    expect(m('hostnet_hosts', { phase: 'enabled', app: 'api' })).toBe(1);
    expect(m('hostnet_hosts', { phase: 'failed' })).toBe(1);
    expect(m('hostnet_hosts', { phase: 'queued' })).toBe(0);
    for (const queue of [QueueName.HostNetwork, QueueName.HostResults]) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) expect(m('hostnet_jobs', { queue, state })).toEqual(expect.any(Number));
    }
    expect(m('hostnet_jobs', { queue: QueueName.HostNetwork, state: 'active' })).toBe(0);
    expect(m('hostnet_host_runs_total', { status: 'applied', target: 'netplan-linux' })).toBe(1);
    expect(m('hostnet_host_runs_total', { status: 'failed', target: 'netplan-linux' })).toBe(1);
    expect(m('hostnet_rollbacks_total', { target: 'netplan-linux' })).toBe(1);
    expect(m('hostnet_host_run_duration_seconds_count', { target: 'netplan-linux', status: 'applied' })).toBe(1);
    expect(m('hostnet_host_run_duration_seconds_sum', { target: 'netplan-linux', status: 'applied' })).toBeGreaterThan(0);
    expect(m('hostnet_host_run_phase_duration_seconds_count', { phase: 'apply' })).toBeGreaterThanOrEqual(1);
    expect(m('hostnet_cloudstack_requests_total', { command: 'listHosts', result: 'ok' })).toBeGreaterThan(0);
    expect(m('hostnet_cloudstack_requests_total', { command: 'updateHost', result: 'ok' })).toBe(2);
    expect(m('hostnet_cloudstack_request_duration_seconds_count', { command: 'updateHost' })).toBe(2);
  }, 60_000);

  it('the worker serves its own: SSH connect latency, on loopback', async () => {
    const address = h.worker!.get(WorkerMetricsServer).address!;
    expect(address.host).toBe('127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
    expect(res.status).toBe(200);
    const m = parseExposition(await res.text());
    expect(m('hostnet_ssh_connect_duration_seconds_count', { result: 'ok', app: 'worker' })).toBeGreaterThanOrEqual(4);
    expect(m('hostnet_ssh_connect_duration_seconds_sum', { result: 'ok' })).toBeGreaterThan(0);
    // kvm1's forced run read its facts over the connection its first run kept; a kept one is open per host
    expect(m('hostnet_ssh_kept_connections_used_total', { app: 'worker' })).toBeGreaterThanOrEqual(1);
    expect(m('hostnet_ssh_kept_connections', { app: 'worker' })).toBe(2);
    expect((await fetch(`http://127.0.0.1:${address.port}/other`)).status).toBe(404);
  });
});
