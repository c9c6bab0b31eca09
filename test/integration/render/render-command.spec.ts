import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudStackSimulator } from '../../../apps/simulator/src/cloudstack';
import { runCli } from '../../../apps/cli/src/main';
import { runRenderCommand } from '../../../apps/cli/src/commands/render.command';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { withoutBonds } from '../../../libs/render/test/support/intent-variants';
import { goldenFile, goldenPaths } from '../../../libs/render/test/support/golden-files';
import { API_KEY, SECRET_KEY, startSimulator } from '../simulator/simulator-test-client';
import { cleanupTempDirs, tempDir } from './tool-harness';

/** `hostnet render` end to end: from a topology (file or CloudStack) + profile, or from an intent file. */
const EXAMPLES = join(__dirname, '..', '..', '..', 'libs/intent/examples');
const TOPOLOGY = join(EXAMPLES, 'reference-topology.json');
const profile = (name: string) => join(EXAMPLES, `${name}.profile.yaml`);
const golden = (target: string, path: string) => readFileSync(goldenFile(target, path), 'utf8');

const capture = () => {
  const io = { outText: '', errText: '', out: (t: string) => void (io.outText += t), err: (t: string) => void (io.errText += t) };
  return io;
};

/** Every golden file of the target appears in the printed output, whole, with its mode. */
function expectPrintsGoldens(outText: string, target: string, mode = '0644'): void {
  for (const path of goldenPaths(target)) expect(outText).toContain(`### ${path} (mode ${path.startsWith('/sbin/') ? '0755' : mode})\n${golden(target, path)}`);
}

afterAll(cleanupTempDirs);

describe('hostnet render --topology/--zone --host --profile', () => {
  const dir = tempDir('cli');

  it('is registered in the CLI: prints the reference EL7 files for --os centos:7', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };
    const code = await runCli(['render', '--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'], io);
    expect(code).toBe(0);
    expect(err.join('')).toContain('target el-network-scripts-linux');
    expectPrintsGoldens(out.join(''), 'el-network-scripts-linux');
    expect(out.join('')).toContain('activate\tnetwork-restart\t["service","network","restart"]');
  });

  it('renders every host of a zone in one process with --all, each under DIR/<host name>/, identical to a one-host render', async () => {
    const all = join(dir, 'all');
    const one = join(dir, 'one');
    const base = ['--topology', TOPOLOGY, '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'];
    const io = capture();
    expect(await runRenderCommand([...base, '--all', '--root-dir', all], io, { env: {} })).toBe(0);
    expect(await runRenderCommand([...base, '--host', 'kvmhost1', '--root-dir', one], capture(), { env: {} })).toBe(0);
    const hosts = io.errText.match(/^hostnet render: host \S+/gm) ?? [];
    expect(hosts.length).toBeGreaterThan(0);
    for (const path of goldenPaths('el-network-scripts-linux')) {
      expect(readFileSync(join(all, 'kvmhost1', path), 'utf8')).toBe(readFileSync(join(one, path), 'utf8'));
    }
  });

  it('calls a malformed --os bad usage (exit 2), as the README says of every bad flag', async () => {
    const io = capture();
    expect(await runRenderCommand(['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'ubuntu'], io, { env: {} })).toBe(2);
    expect(io.errText).toMatch(/^hostnet render: --os "ubuntu": write os-release ID:VERSION_ID, e\.g\. centos:7/);
  });

  it('takes the profile from HOSTNET_PROFILES and selects OVS network-scripts for an ovs profile', async () => {
    const io = capture();
    const env = { HOSTNET_PROFILES: profile('el7-ovs') };
    expect(await runRenderCommand(['--topology', TOPOLOGY, '--host', 'kvmhost1', '--os', 'centos:7'], io, { env })).toBe(0);
    expectPrintsGoldens(io.outText, 'el-network-scripts-ovs');
  });

  it('writes under --root-dir with each file\'s mode: netplan 0600 for ubuntu:22.04, interfaces 0644 for debian:12', async () => {
    const netplanRoot = join(dir, 'ubuntu');
    const io = capture();
    const base = ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('ubuntu-linux-bridge')];
    expect(await runRenderCommand([...base, '--os', 'ubuntu:22.04', '--root-dir', netplanRoot], io, { env: {} })).toBe(0);
    const netplan = join(netplanRoot, 'etc/netplan/60-hostnet.yaml');
    const stepsFile = join(netplanRoot, '.hostnet/steps');
    expect(io.outText).toBe(`wrote ${netplan}\nwrote ${stepsFile}\n`);
    expect(statSync(netplan).mode & 0o777).toBe(0o600);
    // the steps the files need are written beside them, not dropped
    expect(readFileSync(stepsFile, 'utf8')).toBe('activate\tnetplan-apply\t["netplan","apply"]\n');
    expect(readFileSync(netplan, 'utf8')).toBe(golden('netplan-linux', '/etc/netplan/60-hostnet.yaml'));

    const debianRoot = join(dir, 'debian');
    expect(await runRenderCommand([...base, '--os', 'debian:12', '--root-dir', debianRoot], capture(), { env: {} })).toBe(0);
    for (const path of goldenPaths('debian-ifupdown-linux')) {
      expect(readFileSync(join(debianRoot, path), 'utf8')).toBe(golden('debian-ifupdown-linux', path));
      expect(statSync(join(debianRoot, path)).mode & 0o777).toBe(0o644);
    }
  });

  it('--backend ovs re-plans a linux profile: fake bridge cloudbr100 and cloud0 instead of bond0.100', async () => {
    const io = capture();
    const args = ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7', '--backend', 'ovs'];
    expect(await runRenderCommand(args, io, { env: {} })).toBe(0);
    expect(io.errText).toContain('backend ovs, target el-network-scripts-ovs');
    expect(io.outText).toContain('ifcfg-cloud0 (mode 0644)');
    expect(io.outText).toContain('OVS_OPTIONS="cloudbr0 100"\n');
    expect(io.outText).not.toContain('bond0.100');
  });

  it('--backend linux on a profile with OVS-only settings fails naming them', async () => {
    const io = capture();
    const args = ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-ovs'), '--target', 'el-network-scripts-linux', '--backend', 'linux'];
    expect(await runRenderCommand(args, io, { env: {} })).toBe(1);
    expect(io.errText).toMatch(/intent\.vlanSplinters: true is an Open vSwitch setting; fix: /);
    expect(io.outText).toBe('');
  });

  it("a --target of the other backend names the host and the fix: the host backend's target, or --backend", async () => {
    const io = capture();
    const args = ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-ovs'), '--target', 'netplan-linux'];
    expect(await runRenderCommand(args, io, { env: {} })).toBe(1);
    expect(io.errText).toMatch(/^hostnet render: host kvmhost1 \(\S+\): target netplan-linux renders backend linux but the intent's backend is ovs; fix: render it for target netplan-ovs, or build the intent for backend linux \(here: --target netplan-ovs, or --backend linux\)\n$/);
    expect(io.outText).toBe('');
  });

  it('--all refuses two hosts of one name before writing anything, naming both', async () => {
    const topology = JSON.parse(readFileSync(TOPOLOGY, 'utf8')) as { hosts: { id: string; ipAddress: string }[] };
    const first = topology.hosts[0]!;
    topology.hosts.push({ ...first, id: '8a1ab1e4-0c4e-4d7a-9a4b-000000000399', ipAddress: '192.168.100.99' });
    const twins = join(dir, 'twins.json');
    writeFileSync(twins, JSON.stringify(topology));
    const out = join(dir, 'twins');
    const io = capture();
    expect(await runRenderCommand(['--topology', twins, '--all', '--root-dir', out, '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'], io, { env: {} })).toBe(1);
    expect(io.errText).toContain(`hosts ${first.id} and 8a1ab1e4-0c4e-4d7a-9a4b-000000000399 are both named "kvmhost1"`);
    expect(io.outText).toBe('');
    expect(existsSync(out)).toBe(false);
  });

  it('takes a host name in any case, as api and the other commands do', async () => {
    const exact = capture();
    const anyCase = capture();
    const args = (host: string) => ['--topology', TOPOLOGY, '--host', host, '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'];
    expect(await runRenderCommand(args('kvmhost1'), exact, { env: {} })).toBe(0);
    expect(await runRenderCommand(args('KVMHOST1'), anyCase, { env: {} })).toBe(0);
    expect(anyCase.outText).toBe(exact.outText);
  });

  it('a host the zone does not have: exit 1 naming the field and the hosts there are', async () => {
    const io = capture();
    expect(await runRenderCommand(['--topology', TOPOLOGY, '--host', 'kvmhost9', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'], io, { env: {} })).toBe(1);
    expect(io.errText).toBe('hostnet render: --host "kvmhost9" is not a host of zone mylab; fix: use a host name or id: "kvmhost1" (8a1ab1e4-0c4e-4d7a-9a4b-000000000301)\n');
    expect(io.outText).toBe('');
  });

  it('--root-dir / is refused before anything is written, and a --root-dir that is a file is an input error (exit 1)', async () => {
    const base = ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'];
    const slash = capture();
    expect(await runRenderCommand([...base, '--root-dir', '/'], slash, { env: {} })).toBe(1);
    expect(slash.errText).toBe("hostnet render: --root-dir / would write over this machine's own network configuration; fix: give a directory to hold the rendered tree, e.g. --root-dir ./out\n");
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory\n');
    const notDir = capture();
    expect(await runRenderCommand([...base, '--root-dir', file], notDir, { env: {} })).toBe(1);
    expect(notDir.errText).toMatch(/^hostnet render: ENOTDIR: not a directory/);
  });

  it('an OS without a renderer, a bad profile path and a broken topology file are clear errors', async () => {
    const base = ['--host', 'kvmhost1', '--profile', profile('el7-linux-bridge')];
    const os = capture();
    expect(await runRenderCommand(['--topology', TOPOLOGY, ...base, '--os', 'arch:1'], os, { env: {} })).toBe(1);
    expect(os.errText).toMatch(/unsupported host OS \(ID="arch"/);
    const missing = capture();
    expect(await runRenderCommand(['--topology', TOPOLOGY, '--host', 'kvmhost1', '--profile', join(dir, 'none.yaml'), '--os', 'centos:7'], missing, { env: {} })).toBe(1);
    expect(missing.errText).toMatch(/none\.yaml.*cannot be read \(ENOENT\)/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ zone: {} }));
    const bad = capture();
    expect(await runRenderCommand(['--topology', broken, ...base, '--os', 'centos:7'], bad, { env: {} })).toBe(1);
    expect(bad.errText).toMatch(/invalid topology file .*broken\.json: zone\.id: Required/);
  });

  it.each<[string, string[], RegExp]>([
    ['no source', ['--host', 'h', '--os', 'centos:7'], /give --topology FILE\.json, --zone ID\|NAME or --intent FILE\.json/],
    ['two sources', ['--topology', 't.json', '--zone', 'z', '--host', 'h', '--os', 'centos:7'], /--topology and --zone exclude each other/],
    ['no host', ['--topology', 't.json', '--os', 'centos:7'], /--host NAME\|ID \(or --all\) is required/],
    ['several hosts without --root-dir', ['--topology', 't.json', '--host', 'a,b', '--os', 'centos:7'], /several hosts need --root-dir DIR/],
    ['--host and --all', ['--topology', 't.json', '--host', 'a', '--all', '--root-dir', 'x', '--os', 'centos:7'], /--host and --all exclude each other/],
    ['a flag given twice', ['--topology', 't.json', '--host', 'a', '--host', 'b', '--os', 'centos:7'], /--host given twice/],
    ['both --os and --target', ['--topology', 't.json', '--host', 'h', '--os', 'centos:7', '--target', 'netplan-linux'], /exactly one of --os/],
    ['neither --os nor --target', ['--topology', 't.json', '--host', 'h'], /exactly one of --os/],
    ['bad backend', ['--topology', 't.json', '--host', 'h', '--os', 'centos:7', '--backend', 'bsd'], /--backend must be linux or ovs/],
    ['no profile and no HOSTNET_PROFILES', ['--topology', TOPOLOGY, '--host', 'kvmhost1', '--os', 'centos:7'], /--profile FILE\.yaml is required \(or set HOSTNET_PROFILES\)/],
    ['--zone without CloudStack settings', ['--zone', 'mylab', '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'], /--zone needs CLOUDSTACK_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY/],
  ])('usage error (exit 2): %s', async (_name, argv, message) => {
    const io = capture();
    expect(await runRenderCommand(argv, io, { env: {} })).toBe(2);
    expect(io.errText).toMatch(message);
    expect(io.errText).toContain('usage: hostnet render');
    expect(io.errText.trimEnd().split('\n')).toHaveLength(3);
  });
});

describe('hostnet render --zone (CloudStack simulator on loopback)', () => {
  let sim: CloudStackSimulator;

  beforeAll(async () => {
    // The reference zone as CloudStack would hold it: Storage label cloudbr100 on storage VLAN 100.
    sim = await startSimulator({
      seed: {
        zones: [
          {
            name: 'mylab',
            dns1: '8.8.8.8',
            dns2: '8.8.4.4',
            pods: [{ name: 'pod1', gateway: '192.168.100.1', netmask: '255.255.255.0', clusters: [{ name: 'cluster1', hosts: [{ name: 'kvmhost1', ipAddress: '192.168.100.20' }] }] }],
            physicalNetworks: [
              { name: 'Physical Network 1', vlan: '500-999', trafficTypes: [{ type: 'Management', kvmNetworkLabel: 'cloudbr0' }, { type: 'Guest', kvmNetworkLabel: 'cloudbr0' }, { type: 'Storage', kvmNetworkLabel: 'cloudbr100' }] },
              { name: 'Physical Network 2', trafficTypes: [{ type: 'Public', kvmNetworkLabel: 'cloudbr1' }] },
            ],
            storageRanges: [{ pod: 'pod1', startIp: '10.0.100.100', endIp: '10.0.100.199', netmask: '255.255.255.0', vlan: 100 }],
          },
        ],
      } as never,
    });
  });
  afterAll(async () => sim?.stop());

  it('fetches the zone with the signed client and renders the reference EL7 files', async () => {
    const io = capture();
    const env = { CLOUDSTACK_URL: sim.url, CLOUDSTACK_API_KEY: API_KEY, CLOUDSTACK_SECRET_KEY: SECRET_KEY, HOSTNET_PROFILES: profile('el7-linux-bridge') };
    expect(await runRenderCommand(['--zone', 'mylab', '--host', 'kvmhost1', '--os', 'centos:7'], io, { env })).toBe(0);
    expectPrintsGoldens(io.outText, 'el-network-scripts-linux');
    expect(io.errText).not.toContain(SECRET_KEY);
  });

  it('an unknown zone is a clear CloudStack error (exit 1), without the secret', async () => {
    const io = capture();
    const env = { CLOUDSTACK_URL: sim.url, CLOUDSTACK_API_KEY: API_KEY, CLOUDSTACK_SECRET_KEY: SECRET_KEY };
    expect(await runRenderCommand(['--zone', 'nozone', '--host', 'kvmhost1', '--profile', profile('el7-linux-bridge'), '--os', 'centos:7'], io, { env })).toBe(1);
    expect(io.errText).toMatch(/nozone/);
    expect(io.errText).not.toContain(SECRET_KEY);
  });
});

describe('hostnet render --intent', () => {
  const dir = tempDir('cli-intent');
  const intentFile = join(dir, 'intent.json');
  writeFileSync(intentFile, JSON.stringify(ubuntuLinuxBridgeIntent));

  it('prints files and steps', async () => {
    const io = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'netplan-linux'], io)).toBe(0);
    expect(io.outText).toContain('### /etc/netplan/60-hostnet.yaml (mode 0600)\nnetwork:\n');
    expect(io.outText).toContain('activate\tnetplan-apply\t["netplan","apply"]');
    // a removal says why: this layout has no relabel link pair, so hostnet's drop-in that makes one goes
    expect(io.outText).toContain('### remove /etc/systemd/system/systemd-networkd.service.d/60-hostnet-veth.conf (hostnet\'s relabel drop-in, not needed by this layout)\n');
    expect(io.outText).not.toMatch(/^### remove \S+$/m);
  });

  it('selects the target from --os too', async () => {
    const io = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--os', 'debian:12'], io)).toBe(0);
    expect(io.outText).toContain(`### /etc/network/interfaces (mode 0644)\n${golden('debian-ifupdown-linux', '/etc/network/interfaces')}`);
  });

  it('writes files under --root-dir with their modes', async () => {
    const root = join(dir, 'root');
    const io = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'netplan-linux', '--root-dir', root], io)).toBe(0);
    const path = join(root, 'etc/netplan/60-hostnet.yaml');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^network:\n {2}version: 2\n/);
  });

  it('--root-dir keeps the OVS live steps beside the files, deletes what the target removes and leaves the admin\'s /etc/modules alone', async () => {
    const root = join(dir, 'root-ovs');
    const ovsFile = join(dir, 'ovs-no-bonds.json');
    writeFileSync(ovsFile, JSON.stringify(withoutBonds(ubuntuOvsIntent)));
    mkdirSync(join(root, 'etc/modules-load.d'), { recursive: true });
    writeFileSync(join(root, 'etc/modules-load.d/hostnet.conf'), 'bonding\n');
    writeFileSync(join(root, 'etc/modules'), 'loop\nmy-own-module\n');
    const io = capture();
    expect(await runRenderCommand(['--intent', ovsFile, '--target', 'debian-ifupdown-ovs', '--root-dir', root], io)).toBe(0);
    const stepsFile = join(root, '.hostnet/steps');
    expect(io.outText).toContain(`wrote ${stepsFile}\nremoved ${join(root, 'etc/modules-load.d/hostnet.conf')}\n`);
    expect(readFileSync(stepsFile, 'utf8')).toContain('live\tovs-add-br-cloudbr0\t["ovs-vsctl","--may-exist","add-br","cloudbr0"]\n');
    expect(readFileSync(stepsFile, 'utf8')).toContain('live\tovs-add-port-eth0\t["ovs-vsctl","--may-exist","add-port","cloudbr0","eth0"]\n');
    expect(existsSync(join(root, 'etc/modules-load.d/hostnet.conf'))).toBe(false);
    expect(readFileSync(join(root, 'etc/modules'), 'utf8')).toBe('loop\nmy-own-module\n');
  });

  it('exits 2 with usage on a bad target, 1 on an invalid intent or a --backend the intent was not built for', async () => {
    const usage = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--target', 'slackware'], usage)).toBe(2);
    expect(usage.errText).toMatch(/--target must be one of el-network-scripts-linux/);
    const badFile = join(dir, 'bad.json');
    writeFileSync(badFile, JSON.stringify({ ...ubuntuLinuxBridgeIntent, managementBridge: 'cloudbr0;reboot' }));
    const bad = capture();
    expect(await runRenderCommand(['--intent', badFile, '--target', 'netplan-linux'], bad)).toBe(1);
    expect(bad.errText).toMatch(/intent field managementBridge/);
    const backend = capture();
    expect(await runRenderCommand(['--intent', intentFile, '--os', 'ubuntu:22.04', '--backend', 'ovs'], backend)).toBe(1);
    expect(backend.errText).toMatch(/--backend ovs: the intent in .* was built for backend linux; rebuild it from the topology and profile with --backend/);
  });
});
