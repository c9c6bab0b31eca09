import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  CloudStackAsyncJobError,
  CloudStackClient,
  CloudStackClientOptions,
  signParams,
  ZoneNotFoundError,
  ZoneTopologyService,
} from '@hostnet/cloudstack';
import { CloudStackSimulator, DEFAULT_TOPOLOGY_PATH, parseSimulatorTopology } from '../../../apps/simulator/src/cloudstack';
import { CliIo } from '../../../apps/cli/src/cli-command';
import { runCli } from '../../../apps/cli/src/main';

const API_KEY = 'sim-api-key';
const SECRET = 'sim-secret-key';
const ODD_ZONE = "Zone ~!'()* é 日本 +%&=";

/** The reference zone plus a large zone with an awkward name and a zone without KVM hosts. */
function seed() {
  const base = parse(readFileSync(DEFAULT_TOPOLOGY_PATH, 'utf8')) as { zones: Array<{ pods: Array<{ clusters: Array<{ hosts: Array<Record<string, unknown>> }> }> }> };
  // One agent upgraded ahead of the management server's other hosts.
  base.zones[0].pods[0].clusters[0].hosts[2].agentVersion = '4.22.0.0';
  const pod = (gateway: string, clusters: unknown[]) => ({ name: 'pod-a', gateway, netmask: '255.255.255.0', clusters });
  return parseSimulatorTopology({
    ...base,
    zones: [
      ...base.zones,
      {
        name: ODD_ZONE,
        pods: [pod('10.9.0.1', [{ name: 'big', hostTemplate: { count: 1203, namePrefix: 'kvm-', ipStart: '10.20.0.1' } }])],
        physicalNetworks: [
          { name: 'pn-a', vlan: '100-200,300-310', trafficTypes: [{ type: 'Management' }, { type: 'Guest', kvmNetworkLabel: 'cloudbr5' }, { type: 'Public' }] },
        ],
      },
      { name: 'empty', pods: [pod('10.8.0.1', [])], physicalNetworks: [{ name: 'pn-e', trafficTypes: [{ type: 'Management', kvmNetworkLabel: 'cloudbr0' }] }] },
    ],
  });
}

describe('CloudStackClient + ZoneTopologyService against the CloudStack simulator', () => {
  let sim: CloudStackSimulator;
  const clientFor = (extra: Partial<CloudStackClientOptions> = {}) =>
    new CloudStackClient({
      url: sim.url, apiKey: API_KEY, secretKey: SECRET, timeoutMs: 2000,
      retries: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, asyncJobs: { pollIntervalMs: 10, timeoutMs: 3000 }, ...extra,
    });

  beforeAll(async () => {
    sim = await CloudStackSimulator.start({ topology: seed(), apiKey: API_KEY, secretKey: SECRET, port: 0 });
  });
  afterAll(async () => sim.stop());
  beforeEach(() => {
    sim.calls.clear();
    sim.faults.clear();
  });

  it('derives the reference zone with a bounded number of calls', async () => {
    const client = clientFor();
    const topo = await new ZoneTopologyService(client).getTopology('zone1');
    expect(topo.zone).toMatchObject({ name: 'zone1', networkType: 'Advanced', dns1: '8.8.8.8' });
    expect(topo.pods).toEqual([expect.objectContaining({ name: 'pod1', gateway: '192.168.100.1', netmask: '255.255.255.0' })]);
    expect(topo.hosts.map((h) => [h.name, h.ipAddress, h.state, h.resourceState, h.agentVersion])).toEqual([
      ['kvm1', '192.168.100.20', 'Alert', 'Disabled', '4.19.1.0'],
      ['kvm2', '192.168.100.21', 'Alert', 'Disabled', '4.19.1.0'],
      ['kvm3', '192.168.100.22', 'Alert', 'Disabled', '4.22.0.0'],
    ]);
    expect(topo.cloudstackVersion).toBe('4.19.1.0');
    const labels = topo.physicalNetworks.map((n) => [n.name, n.vlanRanges, n.trafficTypes.map((t) => `${t.trafficType}=${t.effectiveLabel}/${t.labelSource}`)]);
    expect(labels).toEqual([
      ['physnet1', [{ start: 500, end: 999 }], ['Management=cloudbr0/cloudstack', 'Guest=cloudbr0/cloudstack', 'Storage=cloudbr100/cloudstack']],
      ['physnet2', [], ['Public=cloudbr1/cloudstack']],
    ]);
    expect(topo.storageRanges).toEqual([expect.objectContaining({ startIp: '10.0.100.100', endIp: '10.0.100.199', vlan: 100, gateway: '10.0.100.1' })]);
    expect(topo.warnings).toEqual([]);
    expect(client.calls.snapshot()).toEqual({
      listCapabilities: 1, listClusters: 1, listHosts: 1, listPhysicalNetworks: 1, listPods: 1, listStorageNetworkIpRange: 1, listTrafficTypes: 2, listZones: 1,
    });
    expect(sim.calls.count()).toBe(9);
    expect(sim.calls.mutations()).toEqual([]);
  });

  it('pages 1203 hosts in 3 listHosts calls and resolves a zone by its UTF-8 name', async () => {
    const client = clientFor();
    const topo = await new ZoneTopologyService(client).getTopology(ODD_ZONE);
    expect(topo.hosts).toHaveLength(1203);
    expect(new Set(topo.hosts.map((h) => h.id)).size).toBe(1203);
    expect(client.calls.count('listHosts')).toBe(3);
    expect(topo.physicalNetworks[0]?.vlanRanges).toEqual([{ start: 100, end: 200 }, { start: 300, end: 310 }]);
    expect(topo.warnings.filter((w) => w.code === 'label-missing').map((w) => w.message)).toEqual([
      'Management traffic on physical network "pn-a" has no KVM label; the KVM agent would use "cloudbr5" (the Guest label)',
      'Public traffic on physical network "pn-a" has no KVM label; the KVM agent would use "cloudbr5" (the Guest label)',
    ]);
    // Found by id too.
    await expect(new ZoneTopologyService(client).getTopology(topo.zone.id)).resolves.toMatchObject({ zone: { name: ODD_ZONE } });
  });

  it.each(['POST', 'GET'] as const)('signs awkward values the way the simulator verifies them (%s)', async (method) => {
    const client = clientFor({ method });
    for (const name of [ODD_ZONE, 'a b', "~!'()*", 'é日本', '']) {
      await expect(client.listZones({ name })).resolves.toEqual(name === ODD_ZONE ? [expect.objectContaining({ name })] : expect.any(Array));
    }
    expect(sim.calls.all().every((c) => c.status === 200)).toBe(true);
  });

  it('verifies mixed-case parameter names signed by the shared signer', async () => {
    const params: Record<string, string> = {
      command: 'listZones', response: 'json', apiKey: API_KEY, Name: 'zone1', zoneId: '', temPlateidd: 'x y', Keyword: 'zone',
    };
    const body = new URLSearchParams({ ...params, signature: signParams(params, SECRET) }).toString();
    const res = await fetch(sim.url, { method: 'POST', body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(200);
    const bad = new URLSearchParams({ ...params, signature: signParams({ ...params, Name: 'zone2' }, SECRET) }).toString();
    const rejected = await fetch(sim.url, { method: 'POST', body: bad, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(rejected.status).toBe(401);
  });

  it('rejects wrong keys with a 401 auth error', async () => {
    await expect(clientFor({ secretKey: 'wrong' }).listZones()).rejects.toMatchObject({ kind: 'auth', httpStatus: 401 });
  });

  it('retries injected 503 and 429 answers, then succeeds', async () => {
    sim.faults.failNext(1, { command: 'listZones', status: 503 }).throttleNext(1, { command: 'listZones' });
    const client = clientFor();
    await expect(client.listZones()).resolves.toHaveLength(3);
    expect(sim.calls.of('listZones').map((c) => c.status)).toEqual([503, 429, 200]);
  });

  it('times out a hung request within timeoutMs', async () => {
    sim.faults.hangNext(1, { command: 'listPods' });
    const started = Date.now();
    await expect(clientFor({ timeoutMs: 300, retries: { attempts: 1 } }).listPods('x')).rejects.toMatchObject({ kind: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('runs maintenance as async jobs and maps a failed job', async () => {
    const client = clientFor();
    const [host] = await client.listHosts({ zoneId: (await client.listZones({ name: 'zone1' }))[0]?.id });
    const done = await client.prepareHostForMaintenance(host?.id ?? '');
    expect(done.resourceState).toMatch(/Maintenance/);
    sim.faults.failNextJob(1, { command: 'cancelHostMaintenance', errorcode: 530, errortext: 'cannot cancel' });
    const error = await client.cancelHostMaintenance(host?.id ?? '').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudStackAsyncJobError);
    expect(error).toMatchObject({ errorCode: 530, errorText: 'cannot cancel' });
    expect(sim.calls.mutations().map((c) => c.command)).toEqual(['prepareHostForMaintenance', 'cancelHostMaintenance']);
  });

  it("counts a host's virtual routers and system VMs with its user VMs (a host running only a VR or SSVM is not empty)", async () => {
    const client = clientFor();
    const kvm2 = sim.state.hosts.find((h) => h.name === 'kvm2')!;
    sim.state.setRunningVms('kvm2', 0);
    expect(await client.countRunningVms(kvm2.id)).toBe(0);
    sim.state.addSystemVm('kvm2', { type: 'router', name: 'r-4-VM' });
    expect(await client.countRunningVms(kvm2.id)).toBe(1);
    sim.state.addSystemVm('kvm2', { type: 'secondarystoragevm', name: 's-1-VM' });
    sim.state.addSystemVm('kvm2', { type: 'consoleproxy', name: 'v-2-VM' });
    sim.state.setRunningVms('kvm2', 2);
    expect(await client.countRunningVms(kvm2.id)).toBe(5);
    // another host's are not counted
    expect(await client.countRunningVms(sim.state.hosts.find((h) => h.name === 'kvm3')!.id)).toBe(sim.state.hosts.find((h) => h.name === 'kvm3')!.runningVms ?? 0);
  });

  it('names the known zones for an unknown zone', async () => {
    await expect(new ZoneTopologyService(clientFor()).getTopology('nope')).rejects.toThrow(ZoneNotFoundError);
  });

  describe('hostnet topology CLI', () => {
    const run = async (argv: string[], env: Record<string, string> = { CLOUDSTACK_SECRET_KEY: SECRET }) => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t) };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const code = await runCli(argv, io);
        return { code, stdout: out.join(''), stderr: err.join('') };
      } finally {
        for (const k of Object.keys(env)) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    };
    const flags = () => ['--url', sim.url, '--api-key', API_KEY];

    it('prints the topology as pretty JSON', async () => {
      const r = await run(['topology', '--zone', 'zone1', ...flags()]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ zone: { name: 'zone1' }, hosts: expect.any(Array) });
      expect(r.stdout).toContain('\n  "zone": {');
    });

    it('reads the connection from CLOUDSTACK_* variables', async () => {
      const r = await run(['topology', '--zone=zone1'], { CLOUDSTACK_URL: sim.url.replace('/client/api', ''), CLOUDSTACK_API_KEY: API_KEY, CLOUDSTACK_SECRET_KEY: SECRET });
      expect(r.code).toBe(0);
    });

    it.each([
      [['topology', '--zone', 'nope'], /^hostnet topology: zone "nope" not found; known zones: "zone1", .*"empty"\n$/],
      [['topology', '--zone', 'empty'], /^hostnet topology: zone "empty" \(.+\) has no KVM hosts .*\n$/],
      [['topology'], /^hostnet topology: --zone is required \(usage: hostnet topology --zone/],
      [['topology', '--zone', 'zone1', '--bogus', 'x'], /unknown option --bogus/],
      [["nosuch"], /^hostnet: unknown command "nosuch"; commands: (?=[a-z, -]*\btopology\b)(?=[a-z, -]*\brender\b)(?=[a-z, -]*\bdemo\b)(?=[a-z, -]*\brelabel\b)[a-z, -]*\n$/],
      [["topolgy"], /^hostnet: unknown command "topolgy" \(did you mean topology\?\); commands: /],
    ])('fails with exit 2 and one line for %j', async (argv, message) => {
      const r = await run(argv.includes('nosuch') || argv.includes('topolgy') || argv.length === 1 ? argv : [...argv, ...flags()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    });

    it('refuses the secret as a flag, naming the variable, without echoing it', async () => {
      for (const argv of [['--secret-key', 'flag-secret-abc'], ['--secret-key=flag-secret-abc']]) {
        const r = await run(['topology', '--zone', 'zone1', ...flags(), ...argv]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/^hostnet topology: --secret-key is not a flag: export CLOUDSTACK_SECRET_KEY instead/);
        expect(r.stderr).not.toContain('flag-secret-abc');
        expect(sim.calls.all().some((c) => JSON.stringify(c).includes('flag-secret-abc'))).toBe(false);
      }
    });

    it('fails clearly on a malformed URL and on wrong keys, without echoing the secret', async () => {
      const bad = await run(['topology', '--zone', 'zone1', '--url', 'cloudstack:8080', '--api-key', API_KEY]);
      expect(bad.code).toBe(2);
      // named as the flag that gave it, not as the variable it stands in for
      expect(bad.stderr).toMatch(/^hostnet topology: --url: .*only http and https/);
      const wrong = await run(['topology', '--zone', 'zone1', '--url', sim.url, '--api-key', API_KEY], { CLOUDSTACK_SECRET_KEY: 'wrong-secret-xyz' });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toMatch(/HTTP 401.*unable to verify user credentials/);
      expect(wrong.stderr).not.toContain('wrong-secret-xyz');
    });
  });
});
