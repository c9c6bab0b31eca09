import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { API_TOKEN } from '../auth/api-token.guard';
import { RelabelHostDiffService } from './relabel-host-diff.service';
import { RelabelsController } from './relabels.controller';
import { RelabelsService } from './relabels.service';

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; items?: Schema; enum?: string[] };

describe('OpenAPI description of /relabels', () => {
  it('describes the progress per wave and per host that GET /relabels/:id answers, and the counts of the list', async () => {
    const module = await Test.createTestingModule({
      controllers: [RelabelsController],
      providers: [{ provide: RelabelsService, useValue: {} }, { provide: RelabelHostDiffService, useValue: {} }, { provide: API_TOKEN, useValue: 'tok' }],
    }).compile();
    const app = module.createNestApplication({ logger: false });
    await app.init();
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    await app.close();
    const schemaOf = (path: string, method: 'get' | 'post', status: string): Schema =>
      (doc.paths[path]![method]!.responses[status] as { content: Record<string, { schema: Schema }> }).content['application/json']!.schema;

    const progress = schemaOf('/relabels/{id}', 'get', '200').properties!.progress!;
    const wave = progress.properties!.waves!.items!;
    expect(wave.required).toEqual(['kind', 'index', 'counts', 'hosts']);
    expect(wave.properties!.kind!.enum).toEqual(['canary', 'wave']);
    expect(wave.properties!.counts!.required).toEqual(['hosts', 'expanded', 'contracted', 'failed', 'inFlight']);
    const host = wave.properties!.hosts!.items!;
    expect(Object.keys(host.properties!)).toEqual(['hostId', 'hostName', 'clusterId', 'state', 'layout', 'detail', 'unverified', 'lastRun', 'failure']);
    expect(Object.keys(host.properties!.lastRun!.properties!)).toEqual(['runId', 'status']);
    expect(schemaOf('/relabels/{id}/start', 'post', '202').properties!.progress).toEqual(progress);
    expect(schemaOf('/relabels', 'post', '201').properties!.progress).toEqual(progress);
    expect(schemaOf('/relabels', 'get', '200').items!.properties!.progress!.required).toEqual(['hosts', 'expanded', 'contracted', 'failed', 'inFlight']);

    const diff = schemaOf('/relabels/{id}/hosts/{host}/diff', 'get', '200');
    expect(diff.required).toEqual(['rolloutId', 'hostId', 'hostName', 'target', 'targetSource', 'basis', 'phases', 'rollback']);
    expect(diff.properties!.phases!.items!.properties!.phase!.enum).toEqual(['expand', 'switch', 'contract', 'restore-both', 'switch-back', 'restore-old']);
    expect(doc.paths['/relabels/{id}/hosts/{host}/diff']!.get!.parameters!.map((p) => (p as { name: string }).name).sort()).toEqual(['host', 'id', 'target']);
  });
});
