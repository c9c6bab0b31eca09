import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { renderHost, type RenderedFile } from '@hostnet/render';
import { jumboIntent } from '../../../libs/intent/test-support/intent-fixtures';
import { centosLinuxBridgeIntent, centosOvsIntent, ubuntuLinuxBridgeIntent, ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { lostLines, nmcliCheck, withoutEmptySections } from './nm-keyfile-check';
import { cleanupTempDirs, run, tempDir, writeUnder } from './tool-harness';

afterAll(cleanupTempDirs);

/** netplan output against `netplan generate --root-dir`, NetworkManager keyfiles against `nmcli --offline`. */
describe('netplan generate accepts the rendered YAML', () => {
  const generate = (files: RenderedFile[]) => {
    const root = tempDir('netplan');
    writeUnder(root, files);
    return { root, result: run(['netplan', 'generate', '--root-dir', root]) };
  };
  const mtuBytes = (root: string, unit: string) => /MTUBytes=(\d+)/.exec(readFileSync(join(root, `run/systemd/network/10-netplan-${unit}.network`), 'utf8'))?.[1];

  it('linux: one networkd unit per NIC, bond, bridge and VLAN', () => {
    const { root, result } = generate(renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const units = readdirSync(join(root, 'run/systemd/network')).sort();
    expect(units).toEqual(
      ['bond0', 'bond1', 'bond0.100', 'cloudbr0', 'cloudbr1', 'cloudbr100', 'eth0', 'eth1', 'eth2', 'eth3']
        .flatMap((n) => [`10-netplan-${n}.network`, ...(n.startsWith('eth') ? [] : [`10-netplan-${n}.netdev`])])
        .sort(),
    );
    const bond = readFileSync(join(root, 'run/systemd/network/10-netplan-bond0.netdev'), 'utf8');
    expect(bond).toContain('Mode=active-backup');
    expect(bond).toContain('MIIMonitorSec=100ms');
  });

  it('linux jumbo: MTUBytes=9000 on bond0, its members, bond0.100 and the bridges over them; bond1 keeps 1500', () => {
    const { root, result } = generate(renderHost(jumboIntent('linux'), 'netplan-linux').files);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const mtuOf = (n: string) => mtuBytes(root, n);
    for (const n of ['eth0', 'eth1', 'bond0', 'bond0.100', 'cloudbr0', 'cloudbr100']) expect([n, mtuOf(n)]).toEqual([n, '9000']);
    for (const n of ['eth2', 'bond1', 'cloudbr1']) expect([n, mtuOf(n)]).toEqual([n, undefined]);
  });

  it('ovs jumbo: MTUBytes=9000 on bond0, its members, cloudbr0 and the fake cloudbr100', () => {
    const { root, result } = generate(renderHost(jumboIntent('ovs'), 'netplan-ovs').files);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const mtuOf = (n: string) => mtuBytes(root, n);
    for (const n of ['eth0', 'eth1', 'bond0', 'cloudbr0', 'cloudbr100']) expect([n, mtuOf(n)]).toEqual([n, '9000']);
  });

  it('ovs: bonds get the OVS miimon keys, the VLAN on an OVS bridge becomes a fake bridge', () => {
    const { root, result } = generate(renderHost(ubuntuOvsIntent, 'netplan-ovs').files);
    expect(result.status).toBe(0);
    const unit = (n: string) => readFileSync(join(root, `run/systemd/system/netplan-ovs-${n}.service`), 'utf8');
    expect(unit('bond0')).toContain('ovs-vsctl set Port bond0 other-config:bond-detect-mode=miimon');
    expect(unit('bond0')).toContain('ovs-vsctl set Port bond0 other-config:bond-miimon-interval=100');
    expect(unit('cloudbr100')).toContain('ovs-vsctl --may-exist add-br cloudbr100 cloudbr0 100');
    expect(unit('cloud0')).toContain('ovs-vsctl --may-exist add-br cloud0');
  });

  it('rejects a VLAN id over 4094 and an unknown bond mode (the check can fail)', () => {
    const [file] = renderHost(ubuntuLinuxBridgeIntent, 'netplan-linux').files;
    const badVlan = generate([{ ...file, content: file.content.replace('id: 100', 'id: 4095') }]);
    expect(badVlan.result.status).not.toBe(0);
    expect(badVlan.result.stderr).toMatch(/4095|VLAN/i);
    const badMode = generate([{ ...file, content: file.content.replace(/mode: active-backup/g, 'mode: fastest') }]);
    expect(badMode.result.status).not.toBe(0);
    expect(badMode.result.stderr).toMatch(/fastest/);
  });
});

describe('nmcli --offline accepts the rendered keyfiles', () => {
  const files = renderHost(centosLinuxBridgeIntent, 'networkmanager-linux').files;
  const jumboFiles = renderHost(jumboIntent('linux'), 'networkmanager-linux').files;

  it.each(files.map((f) => [f.path, f.content] as const))('%s', (_path, content) => {
    const r = nmcliCheck(content);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lostLines(content, r.stdout)).toEqual([]);
    // Beyond that, ours is already NetworkManager's canonical form (it only adds empty sections).
    expect(withoutEmptySections(r.stdout)).toBe(content);
  });

  it.each(jumboFiles.filter((f) => f.content.includes('mtu=')).map((f) => [f.path, f.content] as const))('jumbo %s', (_path, content) => {
    const r = nmcliCheck(content);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lostLines(content, r.stdout)).toEqual([]);
    expect(r.stdout).toContain('mtu=9000');
  });

  it('detects a bond with an unknown mode, which NetworkManager would turn into balance-rr (the check can fail)', () => {
    const bond = files.find((f) => f.path.endsWith('/bond0.nmconnection'))!;
    const bad = bond.content.replace('mode=active-backup', 'mode=fastest');
    const r = nmcliCheck(bad);
    expect(r.stdout).toContain('mode=balance-rr');
    expect(lostLines(bad, r.stdout)).toEqual(['mode=fastest']);
  });

  it('rejects a port with an unknown controller type (the check can fail)', () => {
    const bond = files.find((f) => f.path.endsWith('/bond0.nmconnection'))!;
    const r = nmcliCheck(bond.content.replace('slave-type=bridge', 'slave-type=hub'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/invalid slave type/);
  });

  it('rejects a VLAN id over 4094 (the check can fail)', () => {
    const vlan = files.find((f) => f.path.endsWith('/bond0.100.nmconnection'))!;
    const r = nmcliCheck(vlan.content.replace('id=100', 'id=4095'));
    expect(r.status).not.toBe(0);
  });
});

describe('nmcli --offline accepts the networkmanager-ovs keyfiles (the reference OVS layout on EL 9; jumbo, userspace datapath)', () => {
  const keyfiles = (files: RenderedFile[]) => files.filter((f) => f.path.endsWith('.nmconnection')).map((f) => [f.path, f.content] as const);
  const reference = keyfiles(renderHost(centosOvsIntent, 'networkmanager-ovs').files);
  const jumbo = keyfiles(renderHost(jumboIntent('ovs'), 'networkmanager-ovs', { ovsDatapathType: 'netdev' }).files);

  it.each([...reference, ...jumbo.map(([path, content]) => [`jumbo ${path}`, content] as const)])('%s', (_path, content) => {
    const r = nmcliCheck(content);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lostLines(content, r.stdout)).toEqual([]);
    expect(withoutEmptySections(r.stdout)).toBe(content);
  });

  it('jumbo: mtu=9000 on bond0 members and on the internal interfaces of cloudbr0 and the tagged cloudbr100', () => {
    const mtu9000 = jumbo.filter(([, content]) => content.includes('mtu=9000\n')).map(([path]) => path.replace(/^.*\//, ''));
    expect(mtu9000).toEqual(expect.arrayContaining(['eth0.nmconnection', 'eth1.nmconnection', 'ovs-interface-cloudbr0.nmconnection', 'ovs-interface-cloudbr100.nmconnection']));
  });

  it('rejects an ovs-port whose controller is not an OVS bridge (the check can fail)', () => {
    const port = reference.find(([path]) => path.endsWith('/ovs-port-bond0.nmconnection'))![1];
    const r = nmcliCheck(port.replace('slave-type=ovs-bridge', 'slave-type=bond'));
    expect(r.status).not.toBe(0);
  });
});
