import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectedLiveState, relabelIntent, type LiveLink, type LiveState, type RelabelLayoutRequest } from '@hostnet/intent';
import { renderHost, type ApplyStep } from '@hostnet/render';
import { dropInPairs, remakePairStep } from '../../../libs/render/src/renderers/networkd-veth-dropin';
import { liveDifferences, parseIpJson } from '@hostnet/apply';
import { ubuntuLinuxBridgeIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { lostLines, nmcliCheck, withoutEmptySections } from './nm-keyfile-check';
import { cleanupTempDirs, ifupdown2, run, tempDir, writeUnder } from './tool-harness';

afterAll(cleanupTempDirs);

/**
 * A relabel's expand layout on Linux bridges (veth pair cloudbr1 ↔ cloudbr9) through the real tools, and
 * its live steps and their undo on the real kernel, in a network namespace of this test's own (`unshare
 * -n`: nothing outside it is touched; bonds cannot be made here, so bond1 is a veth standing in for one).
 */
const step = (layout: RelabelLayoutRequest['layout']): RelabelLayoutRequest => ({
  layout,
  changes: [{ physicalNetworkId: 'pn2', trafficType: 'Public', oldLabel: 'cloudbr1', newLabel: 'cloudbr9' }],
});
const old = relabelIntent(ubuntuLinuxBridgeIntent, step('old'));
const both = relabelIntent(ubuntuLinuxBridgeIntent, step('both'));
const interfacesOf = (options: { ifupdown2?: boolean } = {}) => renderHost(both, 'debian-ifupdown-linux', options).files.find((f) => f.path === '/etc/network/interfaces')!.content;

/** The old layout's Public side as a host has it: cloudbr1 with its uplink (bond1), a VM tap on it. */
const OLD_LAYOUT = [
  'ip link add bond1 type veth peer name bond1-far',
  'ip link add vnet0 type veth peer name vnet0-far',
  'ip link add name cloudbr1 type bridge',
  'ip link set dev bond1 master cloudbr1 up',
  'ip link set dev vnet0 master cloudbr1 up',
  'ip link set dev cloudbr1 up',
];

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
const shell = (steps: ApplyStep[]) => steps.map((s) => s.argv.map(quote).join(' '));

/** Runs command lists in one fresh network namespace, printing `ip -j -d link` after each list. */
function inNamespace(...lists: string[][]): LiveState[] {
  const script = lists.map((l) => [...l.map((c) => `${c} || exit 9`), 'ip -j -d link show', 'echo @@'].join('\n')).join('\n');
  const r = run(['unshare', '-n', 'sh', '-c', script]);
  expect([r.status, r.stderr]).toEqual([0, '']);
  return r.stdout.split('@@\n').filter(Boolean).map((json) => parseIpJson(JSON.parse(json), [], []));
}

const publicSide = (live: LiveState) =>
  live.links.filter((l) => /cloudbr[19]|bond1$|ethl|lnk|vnet0$/.test(l.name)).map(({ name, master, members, peer }): LiveLink => ({ name, master, members, peer }) as LiveLink);

describe('the Linux veth pair passes the real tools', () => {
  it('classic ifup --no-act and ifupdown2 --syntax-check accept the interfaces file; ifquery lists the veth before the bridges', () => {
    const dir = tempDir('ifupdown-veth');
    writeFileSync(join(dir, 'classic'), interfacesOf());
    writeFileSync(join(dir, 'v2'), interfacesOf({ ifupdown2: true }));
    mkdirSync(join(dir, 'state'));
    const classic = run(['ifup', '--no-act', '-a', '-i', join(dir, 'classic'), '--state-dir', join(dir, 'state')]);
    expect(classic.status).toBe(0);
    expect(classic.stderr.indexOf('ip link add ethl-cloudbr9')).toBeLessThan(classic.stderr.indexOf('ip link set dev cloudbr1 up'));
    const v2 = ifupdown2(dir)(['--syntax-check', '-a', '-i', join(dir, 'v2')]);
    expect([v2.status, v2.stderr]).toEqual([0, '']);
    expect(run(['ifquery', '-i', join(dir, 'classic'), 'cloudbr1']).stdout).toContain('bridge_ports: ethl-cloudbr9\n');
  });

  it('nmcli --offline takes each veth profile unchanged (type veth, its peer, a port of its bridge)', () => {
    const profiles = renderHost(both, 'networkmanager-linux').files.filter((f) => /\/(ethl|lnk)-/.test(f.path));
    expect(profiles).toHaveLength(2);
    for (const profile of profiles) {
      const r = nmcliCheck(profile.content);
      expect([profile.path, r.status, r.stderr]).toEqual([profile.path, 0, '']);
      expect(lostLines(profile.content, r.stdout)).toEqual([]);
      expect(withoutEmptySections(r.stdout).replace(/^autoconnect=true\n/m, '')).toBe(profile.content);
    }
  });

  it('netplan generate takes the netplan-linux YAML: both bridges for networkd, nothing for the veth ends (they stay out of its hands)', () => {
    const root = tempDir('netplan-veth');
    writeUnder(root, renderHost(both, 'netplan-linux').files);
    const r = run(['netplan', 'generate', '--root-dir', root]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const units = readdirSync(join(root, 'run/systemd/network'));
    expect(units).toEqual(expect.arrayContaining(['10-netplan-cloudbr1.netdev', '10-netplan-cloudbr9.netdev', '10-netplan-bond1.network']));
    expect(units.filter((u) => /ethl|lnk/.test(u))).toEqual([]);
    expect(readFileSync(join(root, 'run/systemd/network/10-netplan-bond1.network'), 'utf8')).toContain('Bridge=cloudbr9');
  });

  it("systemd's own parser takes the drop-in's lines as they are (systemd-analyze verify; it refuses unbalanced quoting)", () => {
    const dropIn = renderHost(both, 'netplan-linux').files.find((f) => f.path.endsWith('60-hostnet-veth.conf'))!;
    const lines = dropIn.content.split('\n').filter((l) => l.startsWith('ExecStartPost='));
    const dir = tempDir('dropin-verify');
    // a unit of this test's own carrying the drop-in's lines: verify reads it offline, nothing is started
    const unit = (extra: string) => ['[Unit]', 'Description=hostnet drop-in check', '[Service]', 'Type=oneshot', 'ExecStart=/bin/true', ...lines, extra, ''].join('\n');
    writeFileSync(join(dir, 'hostnet-dropin-check.service'), unit(''));
    const r = run(['systemd-analyze', 'verify', join(dir, 'hostnet-dropin-check.service')]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    writeFileSync(join(dir, 'hostnet-dropin-check.service'), unit(`${lines[0]} 'unbalanced`));
    expect(run(['systemd-analyze', 'verify', join(dir, 'hostnet-dropin-check.service')]).stderr).toMatch(/Unbalanced quoting/);
  });

  it("the networkd drop-in's boot command, as systemd passes it to sh, makes the pair in its bridges once; run again it changes nothing; the restore's step does the same", () => {
    const dropIn = renderHost(both, 'netplan-linux').files.find((f) => f.path.endsWith('60-hostnet-veth.conf'))!;
    // `$0` is the drop-in, which the command checks is still there: a file of this test's stands in for it
    const standIn = join(tempDir('dropin'), '60-hostnet-veth.conf');
    writeFileSync(standIn, dropIn.content);
    const [command] = dropIn.content
      .split('\n')
      .filter((l) => l.startsWith('ExecStartPost=-+'))
      .map((l) => l.slice('ExecStartPost=-+'.length).replace(/\$\$/g, '$').replace(dropIn.path, standIn));
    const bridges = ['ip link add name cloudbr1 type bridge', 'ip link add name cloudbr9 type bridge'];
    const [made, again] = inNamespace([...bridges, command!], [command!]);
    const pair = [
      { name: 'ethl-cloudbr9', master: 'cloudbr1', members: undefined, peer: 'lnk-cloudbr1' },
      { name: 'lnk-cloudbr1', master: 'cloudbr9', members: undefined, peer: 'ethl-cloudbr9' },
    ];
    expect(publicSide(made!)).toEqual(expect.arrayContaining(pair));
    expect(again).toEqual(made);
    const [remade] = inNamespace([...bridges, ...shell(dropInPairs(dropIn.content).map(remakePairStep)).map((c) => c.replace(dropIn.path, standIn))]);
    expect(publicSide(remade!)).toEqual(expect.arrayContaining(pair));
    const [gone] = inNamespace([...bridges, command!.replace(standIn, `${standIn}.gone`)]);
    expect(publicSide(gone!).filter((l) => /ethl|lnk/.test(l.name))).toEqual([]);
  });

  it("the stanza's pre-up makes the pair once and is a no-op when it runs already; post-down deletes both ends", () => {
    const text = interfacesOf();
    const option = (key: string) => new RegExp(`^${key} (.+)$`, 'm').exec(text.split('iface ethl-cloudbr9')[1]!)![1]!;
    const [made, again, down] = inNamespace([option('pre-up')], [option('pre-up')], [option('post-down'), option('post-down')]);
    expect(made!.links.find((l) => l.name === 'ethl-cloudbr9')).toMatchObject({ peer: 'lnk-cloudbr1' });
    expect(again).toEqual(made);
    expect(down!.links.map((l) => l.name)).toEqual([]);
  });
});

describe('the Linux expand layout on the real kernel', () => {
  const render = (layout: typeof both, from: typeof both) => renderHost(layout, 'debian-ifupdown-linux', { live: expectedLiveState(from), previous: expectedLiveState(from) });

  it('old → both: the live steps give what verification expects (VM tap kept); the restore, its undo twice, gives the old layout back', () => {
    const c = render(both, old);
    const live = c.steps.filter((s) => s.argv[0] === 'ip');
    // as the restore does it: the bridge the run made goes first (only the run's own links on it), then the undo
    const restore = ['ip link del cloudbr9', ...shell(c.undoSteps ?? [])];
    const [before, expanded, undone, undoneTwice] = inNamespace(OLD_LAYOUT, shell(live), restore, shell(c.undoSteps ?? []));
    const want = expectedLiveState(both);
    // bond1 stands in as a veth here: only where it is enslaved counts
    const links = want.links.filter((l) => /cloudbr[19]$|ethl|lnk/.test(l.name)).concat({ name: 'bond1', kind: 'nic', master: 'cloudbr9', up: true });
    const wanted = { links, addresses: [], routes: [] };
    expect(liveDifferences(wanted, expanded!)).toEqual([]);
    expect(expanded!.links.find((l) => l.name === 'vnet0')).toMatchObject({ master: 'cloudbr1' });
    expect(publicSide(undone!)).toEqual(publicSide(before!));
    expect(publicSide(undoneTwice!)).toEqual(publicSide(before!));
  });

  it('both → old (a rollback): the uplink moves straight back and the pair and new bridge go; VM tap untouched', () => {
    const expand = render(both, old).steps.filter((s) => s.argv[0] === 'ip');
    const back = render(old, both).steps.filter((s) => s.argv[0] === 'ip');
    const [before, , after] = inNamespace(OLD_LAYOUT, shell(expand), shell(back));
    expect(publicSide(after!)).toEqual(publicSide(before!));
  });
});
