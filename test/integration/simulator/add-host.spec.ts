import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { call, startSimulator } from './simulator-test-client';

describe('CloudStack simulator: addHost', () => {
  let sim: CloudStackSimulator;
  const hostBridges = new Map<string, string[]>();

  beforeAll(async () => {
    sim = await startSimulator({
      hostNetworkProbe: async ({ ipAddress, requiredLabels }) => {
        const present = hostBridges.get(ipAddress) ?? [];
        const missing = requiredLabels.filter((label) => !present.includes(label));
        return { ok: missing.length === 0, missing, hostname: `kvm-${ipAddress.split('.').pop()}` };
      },
    });
  });
  afterAll(() => sim.stop());

  const ids = () => {
    const [zone] = sim.state.zones;
    const [pod] = sim.state.pods;
    const [cluster] = sim.state.clusters;
    return { zoneid: zone!.id, podid: pod!.id, clusterid: cluster!.id };
  };
  const addHost = (ip: string, extra: Record<string, string> = {}) => call(sim, {
    command: 'addHost', ...ids(), url: `http://${ip}`, hypervisor: 'KVM', username: 'root', password: 'pw', ...extra,
  }, { method: 'POST' });

  it('fails with 530 naming the missing bridge and adds nothing when the host lacks it', async () => {
    hostBridges.set('192.168.100.30', ['cloudbr0']);
    const before = sim.state.hosts.length;
    const answer = await addHost('192.168.100.30');
    expect(answer.status).toBe(530);
    expect(answer.json.addhostresponse).toMatchObject({ errorcode: 530, uuidList: [] });
    expect(answer.json.addhostresponse.errortext).toContain('Can not find network: cloudbr1');
    expect(sim.state.hosts).toHaveLength(before);
  });

  it('adds the host Up with the requested allocation state once its bridges exist, in a list envelope', async () => {
    hostBridges.set('192.168.100.30', ['cloudbr0', 'cloudbr1']);
    const answer = await addHost('192.168.100.30', { allocationstate: 'Disabled' });
    expect(answer.status).toBe(200);
    const body = answer.json.addhostresponse;
    expect(body.count).toBe(1);
    expect(body.host).toHaveLength(1);
    expect(body.host[0]).toMatchObject({
      name: 'kvm-30', ipaddress: '192.168.100.30', state: 'Up', resourcestate: 'Disabled', type: 'Routing', hypervisor: 'KVM',
      clusterid: ids().clusterid, podid: ids().podid, zoneid: ids().zoneid,
    });
    const listed = (await call(sim, { command: 'listHosts', id: body.host[0].id })).json.listhostsresponse;
    expect(listed.count).toBe(1);
    const recorded = sim.calls.mutations().filter((c) => c.command === 'addHost');
    expect(recorded.map((c) => c.status)).toEqual([530, 200]);
    expect(recorded[0]!.params.password).toBe('******');
  });

  it('refuses a host already in the database', async () => {
    const answer = await addHost('192.168.100.20');
    expect(answer.status).toBe(530);
    expect(answer.json.addhostresponse.errortext).toContain('already in the database');
  });

  it.each([
    [{ url: 'ssh://10.0.0.1' }, /Invalid url/],
    [{ hypervisor: 'XenServer' }, /not supported/],
    [{ allocationstate: 'Enable' }, /Unable to resolve Allocation State 'Enable'/],
  ])('431s bad input %j', async (extra, text) => {
    const answer = await addHost('192.168.100.31', extra);
    expect(answer.status).toBe(431);
    expect(answer.json.addhostresponse.cserrorcode).toBe(4350);
    expect(answer.json.addhostresponse.errortext).toMatch(text);
  });

  it('431s a missing required parameter', async () => {
    const answer = await call(sim, { command: 'addHost', zoneid: ids().zoneid, podid: ids().podid, hypervisor: 'KVM' });
    expect(answer.status).toBe(431);
    expect(answer.json.addhostresponse.errortext).toBe('Unable to execute API command addhost due to missing parameter url');
  });
});
