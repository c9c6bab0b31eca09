import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfileSetFile } from './profile-file.loader';
import { formatPath, parseProfileSet, ProfileLoadError } from './profile-set.parser';

const FILE = '/etc/hostnet/profiles.yaml';

/** A minimal valid file whose first profile's body can be swapped. */
function file(profileBody: string, rest = ''): string {
  return `version: 1\nprofiles:\n  p1:\n${profileBody
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\nselectors:\n  - profile: p1\n${rest}`;
}

const BOND_NET = `
backend: linux
networks:
  - match: { label: cloudbr0 }
    bond: { name: bond0, members: [eth0, eth1], mode: active-backup }
  - match: { label: cloudbr1 }
    bond: { name: bond1, members: [eth2, eth3], mode: active-backup }`;

function issuesOf(text: string): Array<{ path: string; message: string }> {
  try {
    parseProfileSet(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileLoadError);
    const e = error as ProfileLoadError;
    expect(e.file).toBe(FILE);
    return [...e.issues];
  }
  throw new Error('expected a ProfileLoadError');
}

describe('parseProfileSet', () => {
  it('accepts a valid file and fills defaults', () => {
    const set = parseProfileSet(file(BOND_NET), FILE);
    expect(set.source).toBe(FILE);
    expect(set.profiles.p1.networks[0].bond?.miimon).toBe(100);
    expect(set.profiles.p1.vlanSplinters).toBe(false);
    expect(set.profiles.p1.bridge).toEqual({ stp: false, forwardDelay: 0 });
    expect(set.hosts).toEqual({});
  });

  it('names the file, the path and the fix in the error message', () => {
    const text = file(BOND_NET.replace('members: [eth2, eth3]', 'members: [eth2, "eth3;reboot"]'));
    let message = '';
    try {
      parseProfileSet(text, FILE);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`${FILE}: profiles.p1.networks[1].bond.members[1]:`);
    expect(message).toContain('"eth3;reboot"');
    expect(message).toContain('fix:');
  });

  it.each<[string, string, string]>([
    ['hostile bond member', 'profiles.p1.networks[0].bond.members[1]', BOND_NET.replace('[eth0, eth1]', '[eth0, "$(id)"]')],
    ['16-char bond name', 'profiles.p1.networks[0].bond.name', BOND_NET.replace('name: bond0', 'name: bond0123456789ab')],
    ['unicode NIC', 'profiles.p1.networks[0].bond.members[1]', BOND_NET.replace('[eth0, eth1]', '[eth0, ethé]')],
    ['reserved label in match', 'profiles.p1.networks[1].match.label', BOND_NET.replace('label: cloudbr1', 'label: cloud0')],
    ['agent guest-VLAN bridge name as label', 'profiles.p1.networks[1].match.label', BOND_NET.replace('label: cloudbr1', 'label: brbond0-200')],
    ['bond name the agent cannot see', 'profiles.p1.networks[1].bond.name', BOND_NET.replace('name: bond1', 'name: uplink1')],
    ['unknown bond mode', 'profiles.p1.networks[0].bond.mode', BOND_NET.replace('mode: active-backup }', 'mode: fast-failover }')],
    ['ovs mode on linux', 'profiles.p1.networks[0].bond.mode', BOND_NET.replace('mode: active-backup }', 'mode: balance-slb }')],
    ['lacpRate outside 802.3ad', 'profiles.p1.networks[0].bond.lacpRate', BOND_NET.replace('mode: active-backup }', 'mode: active-backup, lacpRate: fast }')],
    ['xmitHashPolicy on active-backup', 'profiles.p1.networks[0].bond.xmitHashPolicy', BOND_NET.replace('mode: active-backup }', 'mode: active-backup, xmitHashPolicy: layer2 }')],
    ['ovs lacp on a linux bond', 'profiles.p1.networks[0].bond.lacp', BOND_NET.replace('mode: active-backup }', 'mode: 802.3ad, lacp: active }')],
    ['miimon over the ifupdown2 limit', 'profiles.p1.networks[0].bond.miimon', BOND_NET.replace('mode: active-backup }', 'mode: active-backup, miimon: 1000 }')],
    ['fractional miimon', 'profiles.p1.networks[0].bond.miimon', BOND_NET.replace('mode: active-backup }', 'mode: active-backup, miimon: 1.5 }')],
    ['member reused across bonds', 'profiles.p1.networks[1].bond.members[0]', BOND_NET.replace('[eth2, eth3]', '[eth1, eth3]')],
    ['member twice in a bond', 'profiles.p1.networks[1].bond.members[1]', BOND_NET.replace('[eth2, eth3]', '[eth2, eth2]')],
    ['empty bond', 'profiles.p1.networks[1].bond.members', BOND_NET.replace('[eth2, eth3]', '[]')],
    ['bond as its own member', 'profiles.p1.networks[1].bond.members[0]', BOND_NET.replace('[eth2, eth3]', '[bond0, eth3]')],
    ['nic and bond both', 'profiles.p1.networks[1]', BOND_NET.replace('match: { label: cloudbr1 }', 'match: { label: cloudbr1 }\n    nic: eth9')],
    ['match with both keys', 'profiles.p1.networks[1].match', BOND_NET.replace('{ label: cloudbr1 }', '{ label: cloudbr1, physicalNetwork: pn2 }')],
    ['VLAN 4095', 'profiles.p1.networks[1].managementVlan', `${BOND_NET}\n    managementVlan: 4095`],
    ['VLAN 0', 'profiles.p1.networks[1].labelVlans.cloudbr5', `${BOND_NET}\n    labelVlans: { cloudbr5: 0 }`],
    ['MTU 9217', 'profiles.p1.mtu', `${BOND_NET}\nmtu: 9217`],
    ['MTU 67', 'profiles.p1.mtu', `${BOND_NET}\nmtu: 67`],
    ['vlanSplinters on linux', 'profiles.p1.vlanSplinters', `${BOND_NET}\nvlanSplinters: true`],
    ['misspelt key', 'profiles.p1', `${BOND_NET}\nvlanSplinter: true`],
    ['unknown backend', 'profiles.p1.backend', BOND_NET.replace('backend: linux', 'backend: vpp')],
    ['placeholder MAC', 'profiles.p1.nics.eth0.hwaddr', `${BOND_NET}\nnics: { eth0: { hwaddr: "00:0C:12:xx:xx:xx" } }`],
    ['settings for an unused NIC', 'profiles.p1.nics.eth9', `${BOND_NET}\nnics: { eth9: { mtu: 9000 } }`],
    ['bad DNS server', 'profiles.p1.dns.servers[0]', `${BOND_NET}\ndns: { servers: [8.8.8.888] }`],
    ['bad search domain', 'profiles.p1.dns.search[0]', `${BOND_NET}\ndns: { search: ["a;b"] }`],
    ['extra named like a bond', 'profiles.p1.extras[0].name', `${BOND_NET}\nextras: [{ name: bond0, on: cloudbr0, vlan: 100 }]`],
    ['hostile extra', 'profiles.p1.extras[0].name', `${BOND_NET}\nextras: [{ name: "../x", on: cloudbr0, vlan: 100 }]`],
    ['forward delay 31', 'profiles.p1.bridge.forwardDelay', `${BOND_NET}\nbridge: { forwardDelay: 31 }`],
  ])('%s is reported at %s with a fix', (_name, path, body) => {
    const issues = issuesOf(file(body));
    const hit = issues.find((i) => i.path === path);
    expect(hit).toBeDefined();
    expect(hit?.message).toContain('fix:');
  });

  it("lists only the backend's own bond modes for a mode it lacks (an OVS mode is no choice for a linux bond)", () => {
    const linux = issuesOf(file(BOND_NET.replace('mode: active-backup }', 'mode: fast-failover }'))).find((i) => i.path === 'profiles.p1.networks[0].bond.mode');
    expect(linux?.message).toBe('"fast-failover" is not a bond mode of backend linux; fix: use one of balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb');
    const ovs = issuesOf(file(BOND_NET.replace('backend: linux', 'backend: ovs').replace('mode: active-backup }', 'mode: 802.3ad }'))).find((i) => i.path === 'profiles.p1.networks[0].bond.mode');
    expect(ovs?.message).toBe('"802.3ad" is not a bond mode of backend ovs; fix: use one of active-backup, balance-slb, balance-tcp');
    expect(issuesOf(file(BOND_NET.replace('mode: active-backup }', 'mode: 4 }'))).find((i) => i.path === 'profiles.p1.networks[0].bond.mode')?.message).toMatch(/fix: write one as text, e\.g\. active-backup/);
  });

  it.each<[string, string, string]>([
    ['OVS bond mode on ovs', 'balance-tcp }', 'profiles.p1.networks[0].bond.lacp'],
    ['xmitHashPolicy on ovs', 'active-backup, xmitHashPolicy: layer2 }', 'profiles.p1.networks[0].bond.xmitHashPolicy'],
    ['miimon 0 on ovs', 'active-backup, miimon: 0 }', 'profiles.p1.networks[0].bond.miimon'],
    ['linux-only mode on ovs', '802.3ad }', 'profiles.p1.networks[0].bond.mode'],
  ])('ovs bond rule: %s', (_name, replacement, path) => {
    const body = BOND_NET.replace('backend: linux', 'backend: ovs').replace('mode: active-backup }', `mode: ${replacement}`);
    expect(issuesOf(file(body)).map((i) => i.path)).toContain(path);
  });

  it('says each problem once, quoting the value: a negative miimon, an address that is no IPv4', () => {
    const body = BOND_NET.replace('mode: active-backup }', 'mode: active-backup, miimon: -5 }');
    expect(issuesOf(file(body, 'hosts:\n  kvm1: { storageAddress: 10.0.100.300 }\n'))).toEqual([
      { path: 'profiles.p1.networks[0].bond.miimon', message: '-5 is outside 0-255; fix: use 0-255 ms (100 is usual)' },
      { path: 'hosts.kvm1.storageAddress', message: '"10.0.100.300" is not an IPv4 address or CIDR; fix: write 10.0.100.20 or 10.0.100.20/24' },
    ]);
  });

  it('refuses STP with a forward delay below 2 s, which the kernel would raise to 2 (so the bridge never verifies)', () => {
    expect(issuesOf(file(`${BOND_NET}\nbridge: { stp: true, forwardDelay: 0 }`))).toEqual([
      { path: 'profiles.p1.bridge.forwardDelay', message: "0 is below 2 with stp: true (Linux runs an STP bridge's forward delay at 2-30 s); fix: set forwardDelay: 2-30 (15 is the kernel's default) or stp: false" },
    ]);
    expect(parseProfileSet(file(`${BOND_NET}\nbridge: { stp: true, forwardDelay: 15 }`), FILE).profiles.p1.bridge).toEqual({ stp: true, forwardDelay: 15 });
  });

  it('names the key an unknown one was likely meant to be, and the keys there are', () => {
    const issues = issuesOf(file(`${BOND_NET}\nhostdomain: lab.example`));
    expect(issues).toEqual([{ path: 'profiles.p1', message: expect.stringMatching(/^has unknown key\(s\) "hostdomain" \(did you mean "hostDomain"\?\); fix: remove them or check the spelling \(the keys here are backend, mtu, hostDomain, .*; see libs\/intent\/README\.md\)$/) }]);
    const nested = issuesOf(file(BOND_NET.replace('mode: active-backup }', 'mode: active-backup, miimom: 100 }')));
    expect(nested[0]!.message).toMatch(/^has unknown key\(s\) "miimom" \(did you mean "miimon"\?\)/);
  });

  it('names a value of the wrong type as a sentence reads it', () => {
    expect(() => parseProfileSet('version: 1\nprofiles: {}\nhosts: [kvm1]\n', FILE)).toThrow('hosts: is an array, expected an object; fix: write an object');
    expect(() => parseProfileSet('version: 1\nprofiles: {}\nselectors: nope\n', FILE)).toThrow('selectors: is a string, expected an array; fix: write an array');
  });

  it('accepts options where the mode uses them', () => {
    const linux = BOND_NET.replace('mode: active-backup }', 'mode: 802.3ad, lacpRate: fast, xmitHashPolicy: layer3+4 }');
    expect(() => parseProfileSet(file(linux), FILE)).not.toThrow();
    const ovs = BOND_NET.replace('backend: linux', 'backend: ovs').replace('mode: active-backup }', 'mode: balance-tcp, lacp: active, lacpRate: fast }');
    expect(() => parseProfileSet(file(ovs), FILE)).not.toThrow();
  });

  it('checks references across sections and duplicate selectors', () => {
    const issues = issuesOf(file(BOND_NET, '  - profile: nope\n  - profile: p1\nhosts:\n  kvmhost1: { profile: ghost, storageAddress: 10.0.100.999 }\n'));
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['selectors[1].profile', 'selectors[2]', 'hosts.kvmhost1.profile', 'hosts.kvmhost1.storageAddress']));
  });

  it('reports YAML syntax errors with line and column', () => {
    const issues = issuesOf('version: 1\nprofiles:\n  p1: [unclosed\n');
    expect(issues[0].path).toMatch(/^line \d+ column \d+$/);
    expect(issues[0].message).toContain('fix:');
    // where it is, said once (the path), not again inside the message
    const nested = issuesOf('version: 1\nprofiles:\n  p1: a: b\n');
    expect(nested[0]).toEqual({ path: 'line 3 column 7', message: 'Nested mappings are not allowed in compact mappings; fix: correct the YAML syntax' });
  });

  it('rejects duplicate keys instead of letting the last one win', () => {
    expect(issuesOf('version: 1\nversion: 1\nprofiles: {}\n')[0].path).toMatch(/^line/);
  });

  it('requires version 1', () => {
    expect(issuesOf(file(BOND_NET).replace('version: 1', 'version: 2')).map((i) => i.path)).toContain('version');
  });

  it('formats paths with odd keys quoted', () => {
    expect(formatPath(['profiles', 'el7', 'networks', 1, 'bond', 'members', 0])).toBe('profiles.el7.networks[1].bond.members[0]');
    expect(formatPath(['hosts', 'kvm host.1', 'profile'])).toBe('hosts["kvm host.1"].profile');
    expect(formatPath([])).toBe('(top level)');
  });
});

describe('loadProfileSetFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a file and labels errors with its path', async () => {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, file(BOND_NET));
    await expect(loadProfileSetFile(good)).resolves.toMatchObject({ source: good });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, file(BOND_NET.replace('backend: linux', 'backend: xen')));
    await expect(loadProfileSetFile(bad)).rejects.toThrow(`${bad}: profiles.p1.backend:`);
  });

  it('reports a missing file with a fix', async () => {
    const missing = join(dir, 'missing.yaml');
    await expect(loadProfileSetFile(missing)).rejects.toThrow(/missing\.yaml: \(file\): cannot be read \(ENOENT\); fix:/);
  });
});

describe('shipped examples', () => {
  const { readdirSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  const examples = join(__dirname, '..', '..', 'examples');
  it.each(readdirSync(examples).filter((f) => f.endsWith('.profile.yaml')))('%s loads with the normal loader', async (name) => {
    const set = await loadProfileSetFile(join(examples, name));
    expect(Object.keys(set.profiles).length).toBeGreaterThan(0);
  });
});
