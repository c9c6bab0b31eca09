import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { hasLintErrors, lintZone } from '@hostnet/intent';
import { RENDER_TARGETS, type RenderedFile } from '@hostnet/render';
import { fileOf, loadForeignZone, renderForeignZone, STORAGE_VLAN, type ExpectedHost, type ZoneRender } from './foreign-zone';
import { lostLines, nmcliCheck, withoutEmptySections } from './nm-keyfile-check';
import { nmOvsCommands } from './nm-ovs-rows';
import { debianOvsCommands, elOvsCommands, failedCommands, ifcfgVars, netplanOvsCommands } from './ovs-hook-commands';
import { startPrivateOvsdb } from './private-ovsdb';
import { cleanupTempDirs, ifupdown2, run, tempDir, writeUnder, type ToolRun } from './tool-harness';

/**
 * Issue 11's acceptance zone (fixtures/foreign-zone): every host built by the builder `hostnet render`
 * uses, rendered on every target of its backend, through every real validator that applies.
 */
const renders = renderForeignZone();
const named = (r: ZoneRender) => `${r.host} ${r.target}${r.ifupdown2 ? ' (ifupdown2)' : ''}`;
const cases = (keep: (r: ZoneRender) => boolean) => renders.filter(keep).map((r) => [named(r), r] as const);
const INTERFACES = '/etc/network/interfaces';

const tally = new Map<string, { passed: number; total: number }>();
/** Runs one validation; it counts as passed only when every expectation in it held. */
function counted(validator: string, check: () => void): void {
  const entry = tally.get(validator) ?? { passed: 0, total: 0 };
  tally.set(validator, entry);
  entry.total++;
  check();
  entry.passed++;
}
const figure = (v: string) => `${tally.get(v)?.passed ?? 0}/${tally.get(v)?.total ?? 0}`;

/** Devices at 9000 and at the default MTU: the bond carrying management, its members and what rides on it. */
function mtuSplit(e: ExpectedHost): { jumbo: string[]; standard: string[] } {
  if (e.backend === 'ovs') return { jumbo: ['ens1f0', 'ens1f1', 'brpub0', 'brmgmt0'], standard: [] };
  return { jumbo: ['ens1f0', 'ens1f1', 'bond0', `bond0.${e.managementVlan}`, 'brmgmt0'], standard: ['eno1', 'eno2', 'bond1', 'brpub0'] };
}

afterAll(() => {
  const hosts = new Set(renders.map((r) => r.host)).size;
  console.log(
    `foreign zone: ${hosts} hosts × targets = ${renders.length} renderings on ${new Set(renders.map((r) => r.target)).size} targets, ` +
      `netplan generate ${figure('netplan')}, nmcli ${figure('nmcli')}, ifup ${figure('ifup')}, ifupdown2 ${figure('ifupdown2')}, ` +
      `ovs-vsctl ${figure('ovs-vsctl')}, EL ifcfg ${figure('ifcfg')}`,
  );
  cleanupTempDirs();
});

describe('the foreign zone', () => {
  it('builds every host of three pods on every target, and lint finds no error', () => {
    const { topology, profileSet } = loadForeignZone();
    expect(new Set(renders.map((r) => r.target))).toEqual(new Set(RENDER_TARGETS));
    expect(new Set(renders.map((r) => r.host)).size).toBe(topology.hosts.length);
    expect(new Set(topology.pods.map((p) => `${p.gateway}/${p.netmask}`)).size).toBe(3);
    expect(hasLintErrors(lintZone({ topology, profileSet }))).toBe(false);
  });

  it.each(cases(() => true))('%s: bridges carry the label names; bond0.250 is left to 4.20.2+ Linux agents', (_name, r) => {
    const all = r.files.map((f) => f.content).join('\n');
    expect(all).toContain('brmgmt0');
    expect(all).toContain('brpub0');
    expect(all).not.toContain('cloudbr');
    if (r.expected.managementVlan !== STORAGE_VLAN) expect(all).not.toContain(`bond0.${STORAGE_VLAN}`);
  });
});

describe('netplan generate', () => {
  const unit = (root: string, name: string) => readFileSync(join(root, 'run/systemd/network', name), 'utf8');
  const mtuOf = (root: string, dev: string) => /MTUBytes=(\d+)/.exec(unit(root, `10-netplan-${dev}.network`))?.[1];

  it.each(cases((r) => r.target.startsWith('netplan-')))('%s', (_name, r) => counted('netplan', () => {
    const root = tempDir('fz-netplan');
    writeUnder(root, r.files);
    const result = run(['netplan', 'generate', '--root-dir', root]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const e = r.expected;
    expect(unit(root, '10-netplan-brmgmt0.network')).toContain(`Address=${e.address}/${e.prefix}\n`);
    expect(unit(root, '10-netplan-brmgmt0.network')).toContain(`Gateway=${e.gateway}\n`);
    if (e.backend === 'linux') {
      expect(unit(root, `10-netplan-bond0.${e.managementVlan}.netdev`)).toContain(`Id=${e.managementVlan}\n`);
      expect(unit(root, '10-netplan-bond0.network')).toContain(`VLAN=bond0.${e.managementVlan}\n`);
      expect(unit(root, `10-netplan-bond0.${e.managementVlan}.network`)).toContain('Bridge=brmgmt0\n');
      expect(unit(root, '10-netplan-bond1.network')).toContain('Bridge=brpub0\n');
    } else {
      expect(readFileSync(join(root, 'run/systemd/system/netplan-ovs-brmgmt0.service'), 'utf8')).toContain(`add-br brmgmt0 brpub0 ${e.managementVlan}\n`);
    }
    const { jumbo, standard } = mtuSplit(e);
    for (const dev of [...jumbo, ...(e.backend === 'ovs' ? ['bond0'] : [])]) expect([dev, mtuOf(root, dev)]).toEqual([dev, '9000']);
    for (const dev of standard) expect([dev, mtuOf(root, dev)]).toEqual([dev, undefined]);
  }));
});

describe('nmcli --offline', () => {
  const keyfiles = renders.filter((r) => r.target.startsWith('networkmanager-')).flatMap((r) => r.files.filter((f) => f.path.endsWith('.nmconnection')).map((f) => [`${r.host} ${basename(f.path)}`, f.content] as const));

  it.each(keyfiles)('%s: accepted and already in canonical form', (_name, content) => counted('nmcli', () => {
    const r = nmcliCheck(content);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(lostLines(content, r.stdout)).toEqual([]);
    // Anything NetworkManager adds is behaviour nobody asked for (an [ipv4] method=auto is DHCP on that device).
    expect(withoutEmptySections(r.stdout)).toBe(content);
  }));

  it.each(cases((r) => r.target === 'networkmanager-linux'))('%s: management VLAN, pod address and gateway, jumbo MTU', (_name, r) => {
    const e = r.expected;
    const keyfile = (dev: string) => fileOf(r, `/etc/NetworkManager/system-connections/${dev}.nmconnection`);
    expect(keyfile('brmgmt0')).toContain(`address1=${e.address}/${e.prefix},${e.gateway}\n`);
    expect(keyfile(`bond0.${e.managementVlan}`)).toMatch(new RegExp(`master=brmgmt0\n[^]*\nid=${e.managementVlan}\nparent=bond0\n`));
    const { jumbo, standard } = mtuSplit(e);
    for (const dev of jumbo) expect([dev, keyfile(dev)]).toEqual([dev, expect.stringContaining('mtu=9000\n')]);
    for (const dev of standard) expect([dev, keyfile(dev)]).toEqual([dev, expect.not.stringContaining('mtu=')]);
  });

  it.each(cases((r) => r.target === 'networkmanager-ovs'))('%s: management tagged port in brpub0, address and gateway on its interface, jumbo MTU', (_name, r) => {
    const e = r.expected;
    const keyfile = (id: string) => fileOf(r, `/etc/NetworkManager/system-connections/${id}.nmconnection`);
    const uuid = (id: string) => /\nuuid=(.*)\n/.exec(keyfile(id))![1];
    expect(keyfile('ovs-interface-brmgmt0')).toContain(`type=internal\n\n[ipv4]\naddress1=${e.address}/${e.prefix},${e.gateway}\n`);
    expect(keyfile('ovs-port-brmgmt0')).toContain(`master=${uuid('ovs-bridge-brpub0')}\nslave-type=ovs-bridge\n\n[ovs-port]\ntag=${e.managementVlan}\n`);
    expect(keyfile('ovs-port-bond0')).toContain(`master=${uuid('ovs-bridge-brpub0')}\n`);
    expect(keyfile('ovs-port-bond0')).toContain('[ovs-port]\nbond-mode=balance-slb\n');
    for (const nic of ['ens1f0', 'ens1f1']) expect(keyfile(nic)).toContain(`master=${uuid('ovs-port-bond0')}\nslave-type=ovs-port\n`);
    const profile = (dev: string) => (dev.startsWith('br') ? `ovs-interface-${dev}` : dev);
    for (const dev of mtuSplit(e).jumbo) expect([dev, keyfile(profile(dev))]).toEqual([dev, expect.stringContaining('mtu=9000\n')]);
    expect(fileOf(r, '/etc/NetworkManager/dispatcher.d/30-hostnet-ovs-fake-bridges')).toContain('\nbrmgmt0) exec ovs-vsctl');
  });
});

describe('ifupdown: classic ifup --no-act, ifupdown2 --syntax-check', () => {
  const dir = tempDir('fz-ifupdown');
  let ifup2: (args: string[]) => ToolRun;
  let n = 0;
  const write = (content: string) => {
    const path = join(dir, `interfaces-${++n}`);
    writeFileSync(path, content);
    return path;
  };
  /** Classic ifup prints its plan on stderr with --no-act; --allow=ovs raises the OVS bridges as openvswitch-switch does. */
  const classicIfup = (content: string, ovs: boolean) => {
    const path = write(content);
    const state = join(dir, `state-${n}`);
    mkdirSync(state);
    const bridges = ovs ? run(['ifquery', '-i', path, '--list', '--allow=ovs']).stdout.trim().split('\n') : [];
    const argv = ovs ? ['--allow=ovs', ...bridges] : ['-a'];
    return { bridges, result: run(['ifup', '--no-act', '-i', path, '--state-dir', state, ...argv]) };
  };

  beforeAll(() => {
    ifup2 = ifupdown2(dir);
  });

  it.each(cases((r) => r.target.startsWith('debian-ifupdown-') && !r.ifupdown2))('classic ifup --no-act: %s', (_name, r) => counted('ifup', () => {
    const e = r.expected;
    const ovs = e.backend === 'ovs';
    const { bridges, result } = classicIfup(fileOf(r, INTERFACES), ovs);
    expect(result.stderr).not.toMatch(/ifup: /);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(`ip addr add ${e.address}/${e.netmask}`);
    expect(result.stderr).toMatch(new RegExp(`ip route add default via ${e.gateway.replace(/\./g, '\\.')} +dev brmgmt0`));
    const { jumbo, standard } = mtuSplit(e);
    if (ovs) {
      expect(bridges.sort()).toEqual(['brmgmt0', 'brpub0']);
      for (const dev of ['brpub0', 'brmgmt0']) expect(result.stderr).toMatch(new RegExp(`ip link set dev ${dev} mtu 9000`));
      return;
    }
    expect(result.stderr).toContain(`ip link add link bond0 name bond0.${e.managementVlan} type vlan id ${e.managementVlan}`);
    // ifupdown2 refuses mtu on a bridge, so a bridge takes its port's MTU and never gets one itself.
    for (const dev of jumbo.filter((d) => d !== 'brmgmt0')) expect(result.stderr).toContain(`ip link set dev ${dev} mtu 9000\n`);
    for (const dev of [...standard, 'brmgmt0']) expect(result.stderr).not.toContain(`dev ${dev} mtu`);
  }));

  // Debian OVS is not given to ifupdown2's syntax check: ifupdown2 3.0.0 checks ovs_type against both of its
  // OVS addons and openvswitch_port's list lacks OVSBridge, so every auto OVS bridge stanza fails it (the
  // reference golden's cloudbr0 too): "ovs-type: invalid value "OVSBridge": valid attribute values: ['OVSPort', ...]".
  it.each(cases((r) => r.ifupdown2))('ifupdown2 --syntax-check: %s', (_name, r) => counted('ifupdown2', () => {
    const content = fileOf(r, INTERFACES);
    const result = ifup2(['--syntax-check', '-a', '-i', write(content)]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(content).toContain(`iface bond0.${r.expected.managementVlan} inet manual\nvlan-raw-device bond0\nmtu 9000\n`);
  }));
});

describe('ovs-vsctl runs the OVS command lines against a private ovsdb-server', () => {
  const commandsOf = (r: ZoneRender): string[][] => {
    if (r.target === 'debian-ifupdown-ovs') return debianOvsCommands(fileOf(r, INTERFACES));
    if (r.target === 'el-network-scripts-ovs') return elOvsCommands(r.files);
    const root = tempDir('fz-netplan-ovs');
    writeUnder(root, r.files);
    expect(run(['netplan', 'generate', '--root-dir', root]).status).toBe(0);
    return netplanOvsCommands(root);
  };

  it.each(cases((r) => r.expected.backend === 'ovs' && r.target !== 'networkmanager-ovs'))('%s', (_name, r) => counted('ovs-vsctl', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('fz-ovsdb'));
    try {
      expect(failedCommands(vsctl, commandsOf(r))).toEqual([]);
      const get = (args: string[]) => vsctl(args).stdout.trim();
      expect(get(['br-to-parent', 'brmgmt0'])).toBe('brpub0');
      expect(get(['br-to-vlan', 'brmgmt0'])).toBe(String(r.expected.managementVlan));
      expect(get(['list-ports', 'brpub0'])).toBe('bond0');
      expect(get(['get', 'port', 'bond0', 'bond_mode'])).toBe('balance-slb');
      // netplan leaves MTU to networkd (checked above); the distros' hooks set mtu_request.
      if (r.target === 'netplan-ovs') return;
      for (const dev of mtuSplit(r.expected).jumbo) expect([dev, get(['get', 'interface', dev, 'mtu_request'])]).toEqual([dev, '9000']);
    } finally {
      stop();
    }
  }));
});

describe('ovs-vsctl builds the rows NetworkManager inserts for the networkmanager-ovs profiles; the real dispatcher hook makes the fake bridge', () => {
  it.each(cases((r) => r.target === 'networkmanager-ovs'))('%s', (_name, r) => counted('ovs-vsctl', () => {
    const dir = tempDir('fz-nm-ovsdb');
    const { vsctl, stop } = startPrivateOvsdb(dir);
    try {
      expect(failedCommands(vsctl, nmOvsCommands(r.files))).toEqual([]);
      const get = (args: string[]) => vsctl(args).stdout.trim();
      // NetworkManager's tagged port is not yet a fake bridge: ovs-vsctl (and so the CloudStack agent) sees no brmgmt0 bridge.
      expect(get(['list-ports', 'brpub0']).split('\n')).toEqual(['bond0', 'brmgmt0']);
      expect(vsctl(['br-exists', 'brmgmt0']).status).toBe(2);
      const shim = join(dir, 'bin');
      writeUnder(shim, [{ path: '/ovs-vsctl', content: `#!/bin/sh\nexec /usr/bin/ovs-vsctl --no-wait --db=unix:${dir}/db.sock "$@"\n`, mode: 0o755 }]);
      const hook = fileOf(r, '/etc/NetworkManager/dispatcher.d/30-hostnet-ovs-fake-bridges');
      const env = { ...process.env, PATH: `${shim}:${process.env.PATH}` };
      expect(run(['sh', '-c', hook, 'hook', 'brmgmt0', 'down'], { env }).status).toBe(0);
      expect(vsctl(['br-exists', 'brmgmt0']).status).toBe(2);
      const up = run(['sh', '-c', hook, 'hook', 'brmgmt0', 'up'], { env });
      expect([up.status, up.stderr]).toEqual([0, '']);
      expect(get(['br-to-parent', 'brmgmt0'])).toBe('brpub0');
      expect(get(['br-to-vlan', 'brmgmt0'])).toBe(String(r.expected.managementVlan));
      expect(get(['list-ports', 'brpub0'])).toBe('bond0');
      expect(get(['get', 'port', 'bond0', 'bond_mode'])).toBe('balance-slb');
      for (const dev of mtuSplit(r.expected).jumbo) expect([dev, get(['get', 'interface', dev, 'mtu_request'])]).toEqual([dev, '9000']);
    } finally {
      stop();
    }
  }));
});

describe('EL ifcfg files', () => {
  const ifcfgs = (files: RenderedFile[]) => files.filter((f) => basename(f.path).startsWith('ifcfg-'));

  it.each(cases((r) => r.target.startsWith('el-network-scripts-')))('%s', (_name, r) => counted('ifcfg', () => {
    const e = r.expected;
    for (const f of ifcfgs(r.files)) expect([f.path, ifcfgVars(f.content).DEVICE]).toEqual([f.path, basename(f.path).slice('ifcfg-'.length)]);
    const vars = (dev: string) => ifcfgVars(fileOf(r, `/etc/sysconfig/network-scripts/ifcfg-${dev}`));
    const mgmt = vars('brmgmt0');
    expect([mgmt.IPADDR, mgmt.NETMASK]).toEqual([e.address, e.netmask]);
    // network-scripts takes the default gateway from the bridge's file or from /etc/sysconfig/network.
    const global = r.files.find((f) => f.path === '/etc/sysconfig/network');
    const gateways = [mgmt.GATEWAY, global && ifcfgVars(global.content).GATEWAY].filter((g) => g !== undefined);
    expect(gateways).toEqual([e.gateway]);
    if (e.backend === 'ovs') {
      expect([mgmt.TYPE, mgmt.OVS_OPTIONS]).toEqual(['OVSBridge', `brpub0 ${e.managementVlan}`]);
      expect(vars('bond0').OVS_BRIDGE).toBe('brpub0');
    } else {
      expect(vars(`bond0.${e.managementVlan}`)).toMatchObject({ VLAN: 'yes', BRIDGE: 'brmgmt0' });
      expect(vars('bond1').BRIDGE).toBe('brpub0');
    }
    const { jumbo, standard } = mtuSplit(e);
    for (const dev of jumbo) expect([dev, vars(dev).MTU]).toEqual([dev, '9000']);
    for (const dev of standard) expect([dev, vars(dev).MTU]).toEqual([dev, undefined]);
  }));
});

describe('the validators can fail on this zone', () => {
  const host = (name: string, target: string, v2 = false) => renders.find((r) => r.host === name && r.target === target && r.ifupdown2 === v2)!;

  it('netplan generate refuses the management VLAN as id 4095', () => {
    const [file] = host('hv-b01', 'netplan-linux').files;
    const root = tempDir('fz-netplan-bad');
    writeUnder(root, [{ ...file, content: file.content.replace('id: 30', 'id: 4095') }]);
    const result = run(['netplan', 'generate', '--root-dir', root]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/4095|VLAN/i);
  });

  it('nmcli refuses the management VLAN keyfile with id 4095', () => {
    const vlan = fileOf(host('hv-b01', 'networkmanager-linux'), '/etc/NetworkManager/system-connections/bond0.30.nmconnection');
    expect(nmcliCheck(vlan.replace('\nid=30\n', '\nid=4095\n')).status).not.toBe(0);
  });

  it('nmcli refuses an OVS bond mode of the linux driver, and drops a tag outside 0-4095 (which lostLines reports)', () => {
    const bond = fileOf(host('hv-c01', 'networkmanager-ovs'), '/etc/NetworkManager/system-connections/ovs-port-bond0.nmconnection');
    const badMode = nmcliCheck(bond.replace('bond-mode=balance-slb', 'bond-mode=balance-xor'));
    expect(badMode.status).not.toBe(0);
    expect(badMode.stderr).toMatch(/'balance-xor' is not allowed in bond_mode/);
    const port = fileOf(host('hv-c01', 'networkmanager-ovs'), '/etc/NetworkManager/system-connections/ovs-port-brmgmt0.nmconnection');
    const badTag = port.replace('\ntag=250\n', '\ntag=4096\n');
    expect(lostLines(badTag, nmcliCheck(badTag).stdout)).toEqual(['tag=4096']);
  });

  it('classic ifup refuses a management bridge without its address; ifupdown2 an unknown bond mode', () => {
    const dir = tempDir('fz-ifupdown-bad');
    const path = join(dir, 'interfaces');
    writeFileSync(path, fileOf(host('hv-a01', 'debian-ifupdown-linux'), INTERFACES).replace('address 10.40.0.11', 'address'));
    mkdirSync(join(dir, 'state'));
    const classic = run(['ifup', '--no-act', '-a', '-i', path, '--state-dir', join(dir, 'state')]);
    expect(classic.status).not.toBe(0);
    expect(classic.stderr).toMatch(/option with empty value/);
    writeFileSync(path, fileOf(host('hv-a01', 'debian-ifupdown-linux', true), INTERFACES).replace('bond-mode 802.3ad', 'bond-mode fastest'));
    const v2 = ifupdown2(dir)(['--syntax-check', '-a', '-i', path]);
    expect(v2.status).not.toBe(0);
    expect(v2.stderr).toMatch(/bond-mode: invalid value "fastest"/);
  });

  it('ovs-vsctl refuses the management fake bridge on VLAN 4096 (OVS itself takes 0-4095)', () => {
    const { vsctl, stop } = startPrivateOvsdb(tempDir('fz-ovsdb-bad'));
    try {
      const files = host('hv-c01', 'el-network-scripts-ovs').files.map((f) => ({ ...f, content: f.content.replace('OVS_OPTIONS="brpub0 250"', 'OVS_OPTIONS="brpub0 4096"') }));
      const failed = failedCommands(vsctl, elOvsCommands(files));
      expect(failed.map((f) => f.args)).toEqual([expect.stringContaining('add-br brmgmt0 brpub0 4096')]);
      expect(failed[0].stderr).toMatch(/vlan must be between 0 and 4095/);
    } finally {
      stop();
    }
  });
});
