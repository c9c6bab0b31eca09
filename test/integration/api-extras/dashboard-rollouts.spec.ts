import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type Redis from 'ioredis';
import { HostSpecService, TopologyCache } from '@hostnet/host-spec';
import { API_TOKEN } from '../../../apps/api/src/auth/api-token.guard';
import { DashboardModule } from '../../../apps/api/src/dashboard/dashboard.module';
import { BULLMQ_CONNECTION } from '../../../apps/api/src/dashboard/dashboard.tokens';
import { HostJobEventsSource } from '../../../apps/api/src/jobs/host-job-events.source';
import { escapeHtml } from '../../../apps/api/src/dashboard/html-escape';
import type { RolloutPanel } from '../../../apps/api/src/dashboard/rollout-panel.renderer';
import { EVIL, ROLLOUT_REQUEST, ROLLOUT_ZONE, toMidContract } from '../../../apps/api/src/dashboard/test-support/rollout-records';
import { STATUS_PREFIX, STATUS_REDIS } from '../../../apps/api/src/hosts/host-status.repository';
import { RelabelHolds } from '../../../apps/api/src/relabels/relabel-holds';
import { RelabelRolloutStore } from '../../../apps/api/src/relabels/relabel-rollout.store';
import { RELABEL_STORE, RELABEL_ZONE_LOCK, RelabelRunnerService } from '../../../apps/api/src/relabels/relabel-runner.service';
import { RelabelZoneLock } from '../../../apps/api/src/relabels/relabel-zone-lock';
import { RelabelsController } from '../../../apps/api/src/relabels/relabels.controller';
import { RelabelHostDiffService } from '../../../apps/api/src/relabels/relabel-host-diff.service';
import { relabelStoreProvider } from '../../../apps/api/src/relabels/relabel-store.provider';
import { RelabelsService } from '../../../apps/api/src/relabels/relabels.service';
import { HostTriggerService } from '../../../apps/api/src/triggers/host-trigger.service';
import { baseUrl, depsModule, dropPrefix, jsonOf, RecordingHostTrigger, REDIS_URL, TOKEN, uniquePrefix } from './api-extras.fixtures';
import { SseReader, type SseEvent } from './sse-reader';

@Module({})
class RelabelsUnderTest {}

/**
 * The dashboard's rollout region on a real api (HTTP, Redis, the relabels controller and service): a
 * rollout planned through POST /relabels shows on the page, and each change of its record reaches an
 * open page as a `rollouts` event. No runner drives it (that needs CloudStack and hosts): the spec writes
 * the runner's progress through the same store, as the runner does.
 */
describe('dashboard rollout region (real api, real Redis)', () => {
  const prefix = uniquePrefix('dash-rollouts');
  const bullPrefix = uniquePrefix('dash-rollouts-bull');
  const auth = { authorization: `Bearer ${TOKEN}` };
  let app: INestApplication;
  let url: string;
  let reader: SseReader | undefined;

  beforeAll(async () => {
    const deps = depsModule(prefix, [
      { provide: API_TOKEN, useValue: TOKEN },
      { provide: HostTriggerService, useValue: new RecordingHostTrigger() },
      { provide: BULLMQ_CONNECTION, useValue: { connection: { url: REDIS_URL }, prefix: bullPrefix } },
      HostJobEventsSource,
    ]);
    const relabels: DynamicModule = {
      module: RelabelsUnderTest,
      imports: [deps],
      controllers: [RelabelsController],
      providers: [
        RelabelsService,
        RelabelHolds,
        { provide: RelabelHostDiffService, useValue: {} },
        { provide: TopologyCache, useValue: { get: async () => ROLLOUT_ZONE } },
        // Open vSwitch hosts: their expand layout is rendered, so the plan is accepted.
        { provide: HostSpecService, useValue: { specFor: () => ({ specHash: 'x', intent: { backend: 'ovs', bridges: [], vlans: [], nics: [], bonds: [] } }) } },
        relabelStoreProvider,
        { provide: RELABEL_ZONE_LOCK, inject: [STATUS_REDIS, STATUS_PREFIX], useFactory: (redis: Redis, p: string) => new RelabelZoneLock(redis, p) },
        { provide: RelabelRunnerService, useValue: { kick: () => undefined } },
      ],
    };
    @Module({ imports: [DashboardModule.register({ imports: [deps], refreshMs: 150 }), relabels] })
    class AppUnderTest {}
    app = await NestFactory.create(AppUnderTest, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = baseUrl(app.getHttpServer());
  });

  afterAll(async () => {
    await reader?.close();
    await app?.close();
    await dropPrefix(prefix);
    await dropPrefix(bullPrefix);
  });

  const post = async (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const panelWith = (text: string) => (event: SseEvent) => event.type === 'rollouts' && (event.data as RolloutPanel).html.includes(text);

  it('shows a rollout planned through POST /relabels, then follows its state live', async () => {
    const planned = await post('/relabels', { ...ROLLOUT_REQUEST, requestedBy: 'spec' });
    expect(planned.status).toBe(201);
    const id = String((await jsonOf(planned))['id']);

    const html = await (await fetch(`${url}/dashboard`, { headers: auth })).text();
    const region = html.slice(html.indexOf('<section id="relabel-rollouts"'), html.indexOf('</section>', html.indexOf('<section id="relabel-rollouts"')));
    expect(region).toContain(`<article class="rollout state-planned" id="rollout-${id}"`);
    expect(region).toContain('Physical Network 2 · Public: <code>cloudbr1</code> → <code>cloudbr5</code>');
    expect(region).toContain('<th scope="row">Canary 1</th>');
    expect(region).toContain(`<p id="relabel-status" role="status" aria-live="polite">rollout ${id} in zone zone1 planned (phase expand): 0 of 4 hosts contracted, 0 failed</p>`);
    const elsewhere = await (await fetch(`${url}/dashboard?zone=zone9`, { headers: auth })).text();
    expect(elsewhere).toContain('No relabel rollout in zone zone9 yet');

    reader = await SseReader.open(`${url}/dashboard/events`, auth);
    await reader.next(panelWith(`state-planned" id="rollout-${id}"`));

    expect((await post(`/relabels/${id}/start`, { requestedBy: 'spec' })).status).toBe(202);
    const running = (await reader.next(panelWith(`state-running active" id="rollout-${id}"`))).data as RolloutPanel;
    expect(running.status).toBe(`rollout ${id} in zone zone1 running (phase expand): 0 of 4 hosts contracted, 0 failed`);
    expect(running.html).toContain(`<details class="waves" id="rollout-${id}-waves" open>`);

    // what the runner writes by the contract waves: kvm2 in maintenance, kvm3 failed (hostile name and reason)
    await app.get<RelabelRolloutStore>(RELABEL_STORE).update(id, (r) => toMidContract(r));
    const failing = (await reader.next(panelWith('<caption>Failed hosts</caption>'))).data as RolloutPanel;
    expect(failing.html).not.toContain('<script>');
    expect(failing.html).toContain(`verification failed: ${escapeHtml(EVIL)}`);
    expect(failing.html.indexOf('Failed hosts')).toBeLessThan(failing.html.indexOf('<th scope="row">Canary 1</th>'));
    expect(failing.status).toBe(`rollout ${id} in zone zone1 running (phase contract): 1 of 4 hosts contracted, 1 failed, in flight: kvm2`);

    expect((await post(`/relabels/${id}/abort`, { requestedBy: 'spec' })).status).toBe(202);
    const aborting = (await reader.next(panelWith('state-aborting'))).data as RolloutPanel;
    expect(aborting.html).toContain('<p class="reason">aborted by spec</p>');
    expect(aborting.html).toContain('<strong>Rollback</strong>: waiting for the steps in flight to finish');
    expect(aborting.status).toContain('aborting (phase contract)');
  }, 60_000);
});
