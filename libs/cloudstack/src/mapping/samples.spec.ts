import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readErrorBody, unwrapEnvelope } from '../client/envelope';
import { fetchAllPages } from '../client/list-pager';
import { CloudStackApiError } from '../errors/cloudstack-error';
import { mapHost } from './host.mapper';
import { mapPhysicalNetwork } from './network.mapper';
import { mapCluster } from './zone.mapper';

const samples = join(__dirname, '../../test/fixtures/samples');
const load = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(samples, file), 'utf8')) as Record<string, unknown>;

describe('real CloudStack samples parse into domain types', () => {
  const hostService = load('cloudstack-go_testdata_HostService.json');

  it('maps listHosts (list envelope, count first)', async () => {
    const items = await fetchAllPages('listHosts', 'host', async () => unwrapEnvelope('listHosts', hostService.listHosts));
    expect(items.map((h) => mapHost(h))).toEqual([
      expect.objectContaining({ state: 'Up', resourceState: 'Enabled', ipAddress: expect.any(String) }),
    ]);
  });

  it('maps addHost, which answers with a list envelope', () => {
    const body = unwrapEnvelope('addHost', hostService.addHost);
    expect(body.count).toBe(1);
    expect(mapHost((body.host as unknown[])[0], 'addHost')).toEqual({
      id: 'd9960e4d-5da9-47be-af88-5cd19473b844',
      name: 'SimulatedAgent.5417728f-9fc2-424c-89a6-00a7e0d2852f',
      ipAddress: '172.16.15.5',
      zoneId: 'd4a81f75-5d92-415e-ab59-e85cc2ce56d9',
      podId: '5382edc2-e689-4074-bd67-0e1a236eb2bc',
      clusterId: '2e4816cf-d8bf-4ef0-993a-05e42078c5a8',
      state: 'Up',
      resourceState: 'Enabled',
      hypervisor: 'Simulator',
      agentVersion: '4.16.0.0-SNAPSHOT',
    });
  });

  it('maps the host inside a prepareHostForMaintenance job result', () => {
    // The go testdata wraps the job body in the command name (harness artefact): accept it.
    const job = unwrapEnvelope('queryAsyncJobResult', hostService.prepareHostForMaintenance);
    const host = mapHost((job.jobresult as Record<string, unknown>).host, 'prepareHostForMaintenance');
    expect(host.id).toBe('8e8e68e7-19ea-4a78-bbdb-6e79d27729c9');
  });

  it('maps listClusters with count after the array', async () => {
    const clusters = load('cloudstack-go_testdata_ClusterService.json');
    const items = await fetchAllPages('listClusters', 'cluster', async () =>
      unwrapEnvelope('listClusters', clusters.listClusters),
    );
    const mapped = items.map(mapCluster);
    expect(mapped).toHaveLength(3);
    expect(mapped[2]).toEqual({
      id: 'f1f5a259-1b55-431d-ad7e-6d39c28f1b15',
      name: 'TestCluster',
      podId: '6137ef6f-753f-4e7b-a728-8d46a92358d2',
      zoneId: '04ccc336-d730-42fe-8ff6-5ae36e141e81',
      hypervisorType: 'KVM',
      allocationState: 'Enabled',
    });
  });

  it('maps the physical network of createPhysicalNetwork', () => {
    const network = load('cloudstack-go_testdata_NetworkService.json');
    const job = unwrapEnvelope('createPhysicalNetwork', network.createPhysicalNetwork);
    expect(mapPhysicalNetwork((job.jobresult as Record<string, unknown>).physicalnetwork)).toEqual({
      id: '256b3b3f-4a31-48f3-a939-79b01357fb87',
      name: 'testPhyNet',
      zoneId: 'd4a81f75-5d92-415e-ab59-e85cc2ce56d9',
      state: 'Disabled',
      isolationMethods: ['VLAN'],
      vlanRanges: [],
      tags: [],
    });
  });

  it('reads the real 530 error body (issue #8111) into errorcode/cserrorcode/errortext', () => {
    const body = load('issue8111_error_530_listtemplatesresponse.json');
    const parsed = readErrorBody(body);
    expect(parsed).toEqual({
      errorCode: 530,
      csErrorCode: 9999,
      errorText: 'Internal error executing command, please contact your system administrator',
    });
    const error = new CloudStackApiError({ command: 'listTemplates', params: {}, httpStatus: 530, errorText: parsed?.errorText ?? '', ...parsed });
    expect(error.kind).toBe('internal');
    expect(error.permanent).toBe(false);
  });

  it('unwraps the documented listUsers envelope and pages it in one call', async () => {
    const body = load('docs_dev_rst_listusersresponse.json');
    const fetchPage = jest.fn(async () => unwrapEnvelope('listUsers', body));
    const users = await fetchAllPages('listUsers', 'user', fetchPage);
    expect(users).toHaveLength(3);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });
});
