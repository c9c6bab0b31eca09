import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHost } from '@hostnet/render';
import { jumboIntent } from '../../../libs/intent/test-support/intent-fixtures';
import { ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { cleanupTempDirs, ifupdown2, run, tempDir, type ToolRun } from './tool-harness';

/** Rendered /etc/network/interfaces files against ifupdown2's syntax check and classic ifup --no-act. */
describe('interfaces files pass the real ifupdown tools', () => {
  const dir = tempDir('ifupdown');
  let ifup2: (args: string[]) => ToolRun;

  const interfaces = (c: ReturnType<typeof renderHost>) => c.files.find((f) => f.path === '/etc/network/interfaces')!;
  const linux = interfaces(renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux'));
  const linux2 = interfaces(renderHost(ubuntuLinuxBridgeIntent, 'debian-ifupdown-linux', { ifupdown2: true }));
  const jumbo = interfaces(renderHost(jumboIntent('linux'), 'debian-ifupdown-linux'));
  const jumbo2 = interfaces(renderHost(jumboIntent('linux'), 'debian-ifupdown-linux', { ifupdown2: true }));
  const ovs = renderHost(ubuntuOvsIntent, 'debian-ifupdown-ovs', { ovsDatapathType: 'netdev' }).files.find((f) => f.path === '/etc/network/interfaces')!;
  const write = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  beforeAll(() => {
    ifup2 = ifupdown2(dir);
  });
  afterAll(cleanupTempDirs);

  it('ifupdown2 --syntax-check accepts the ifupdown2 rendering (bond/bridge/VLAN)', () => {
    const r = ifup2(['--syntax-check', '-a', '-i', write('linux2', linux2.content)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('ifupdown2 --syntax-check accepts jumbo frames (MTU 9000 on bond0, its members and bond0.100)', () => {
    const r = ifup2(['--syntax-check', '-a', '-i', write('jumbo2', jumbo2.content)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('ifupdown2 --syntax-check refuses an mtu on a bridge stanza, which is why bridges inherit it (the check can fail)', () => {
    const r = ifup2(['--syntax-check', '-a', '-i', write('bridge-mtu', jumbo2.content.replace('bridge_ports bond0\n', 'mtu 9000\nbridge_ports bond0\n'))]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cloudbr0: bridge inherits mtu from its ports/);
  });

  it('classic ifup --no-act sets the jumbo MTU on the ports and VLAN, never on a bridge', () => {
    const state = join(dir, 'state-jumbo');
    mkdirSync(state);
    const r = run(['ifup', '--no-act', '-a', '-i', write('jumbo', jumbo.content), '--state-dir', state]);
    expect(r.status).toBe(0);
    for (const dev of ['eth0', 'eth1', 'bond0', 'bond0.100']) expect(r.stderr).toContain(`ip link set dev ${dev} mtu 9000`);
    expect(r.stderr).not.toMatch(/dev (eth2|eth3|bond1|cloudbr\d+) mtu/);
  });

  it('ifupdown2 flags the reference (ifenslave) style, which is why ifupdown2 hosts get bond-slaves lists', () => {
    const r = ifup2(['--syntax-check', '-a', '-i', write('linux', linux.content)]);
    expect(r.stderr).toMatch(/none bond slave is enslaved to multiple interfaces/);
  });

  it('ifupdown2 --syntax-check rejects a bad bond mode (the check can fail)', () => {
    const r = ifup2(['--syntax-check', '-a', '-i', write('bad-mode', linux2.content.replace(/bond-mode active-backup/g, 'bond-mode fastest'))]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/bond-mode: invalid value "fastest"/);
  });

  it('classic ifup --no-act plans the linux file: bond VLAN created, addresses and default route', () => {
    const state = join(dir, 'state-linux');
    mkdirSync(state);
    const r = run(['ifup', '--no-act', '-a', '-i', write('linux-classic', linux.content), '--state-dir', state]);
    expect(r.status).toBe(0);
    // --no-act prints the plan on stderr.
    expect(r.stderr).toContain('ip link add link bond0 name bond0.100 type vlan id 100');
    expect(r.stderr).toContain('ip addr add 192.168.100.20/255.255.255.0');
    expect(r.stderr).toContain('ip route add default via 192.168.100.1');
    expect(r.stderr).toContain('ip addr add 10.0.100.20/255.255.255.0');
  });

  it('classic ifup --no-act accepts the OVS file for every allow-ovs bridge', () => {
    const state = join(dir, 'state-ovs');
    mkdirSync(state);
    const r = run(['ifup', '--no-act', '--allow=ovs', '-i', write('ovs', ovs.content), '--state-dir', state, 'cloudbr0', 'cloudbr1', 'cloudbr100']);
    expect(r.stderr).not.toMatch(/ifup: /);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ip addr add 172.16.152.39/255.255.255.0');
    expect(r.stderr).toContain('ip link set dev cloudbr100 up');
  });

  it('classic ifup --no-act accepts the jumbo OVS file: mtu on the bridges, mtu_request left to the OVS hook', () => {
    const state = join(dir, 'state-ovs-jumbo');
    mkdirSync(state);
    const file = interfaces(renderHost(jumboIntent('ovs'), 'debian-ifupdown-ovs'));
    const r = run(['ifup', '--no-act', '--allow=ovs', '-i', write('ovs-jumbo', file.content), '--state-dir', state, 'cloudbr0', 'cloudbr1', 'cloudbr100']);
    expect(r.stderr).not.toMatch(/ifup: /);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('ip link set dev cloudbr0 mtu 9000');
    expect(r.stderr).toContain('ip link set dev cloudbr100 mtu 9000');
    expect(r.stderr).not.toContain('dev cloudbr1 mtu');
  });

  it('classic ifup rejects a structurally broken file (the check can fail)', () => {
    const state = join(dir, 'state-bad');
    mkdirSync(state);
    const r = run(['ifup', '--no-act', '-a', '-i', write('broken', linux.content.replace('address 192.168.100.20', 'address')), '--state-dir', state]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/option with empty value/);
  });
});
