import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { renderHost, type ApplyStep } from '@hostnet/render';
import { centosOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { run, tempDir, type ToolRun } from './tool-harness';

/**
 * The rendered ovs-vsctl steps, run for real against a private userspace Open vSwitch: its own
 * ovsdb-server and ovs-vswitchd (netdev datapath) with every socket, pidfile and log in a temp
 * dir (OVS_RUNDIR), inside a network namespace this test creates, so the system OVS and the root
 * namespace are never touched.
 */
describe('OVS live steps against a private ovsdb-server + ovs-vswitchd', () => {
  const dir = tempDir('ovs');
  const netns = `hostnet-render-${process.pid}`;
  const env = { ...process.env, OVS_RUNDIR: dir, OVS_DBDIR: dir, OVS_LOGDIR: dir };
  const ovs = (argv: string[]): ToolRun => run(argv, { env });
  const config = renderHost(centosOvsIntent, 'el-network-scripts-ovs', { ovsDatapathType: 'netdev' });
  const live = config.steps.filter((s) => s.phase === 'live');

  /** Daemons detach; their stdio must not be our pipes or spawnSync would wait for them forever. */
  const daemon = (argv: string[]) => {
    const r = spawnSync('ip', ['netns', 'exec', netns, ...argv], { env, stdio: 'ignore', timeout: 20_000 });
    if (r.status !== 0) throw new Error(`${argv[0]} failed to start (see ${dir})`);
  };
  const applyAll = (steps: ApplyStep[]) => steps.map((s) => ({ name: s.name, ...ovs(s.argv) }));

  beforeAll(() => {
    const must = (r: ToolRun, what: string) => {
      if (r.status !== 0) throw new Error(`${what}: ${r.stderr}`);
    };
    must(run(['ip', 'netns', 'add', netns]), 'ip netns add');
    // Real links for the bond members, so the bonds attach to devices that exist.
    for (const nic of centosOvsIntent.nics) {
      must(run(['ip', '-n', netns, 'link', 'add', nic.name, 'type', 'veth', 'peer', 'name', `peer-${nic.name}`]), 'veth');
      must(run(['ip', '-n', netns, 'link', 'set', nic.name, 'up']), 'link up');
    }
    must(run(['ovsdb-tool', 'create', join(dir, 'conf.db'), '/usr/share/openvswitch/vswitch.ovsschema']), 'ovsdb-tool create');
    daemon(['ovsdb-server', join(dir, 'conf.db'), `--remote=punix:${join(dir, 'db.sock')}`, `--pidfile=${join(dir, 'ovsdb-server.pid')}`, '--detach', `--log-file=${join(dir, 'ovsdb-server.log')}`]);
    must(ovs(['ovs-vsctl', '--no-wait', 'init']), 'ovs-vsctl init');
    daemon(['ovs-vswitchd', `unix:${join(dir, 'db.sock')}`, `--pidfile=${join(dir, 'ovs-vswitchd.pid')}`, '--detach', `--log-file=${join(dir, 'ovs-vswitchd.log')}`]);
  });

  afterAll(() => {
    for (const name of ['ovs-vswitchd', 'ovsdb-server']) {
      try {
        process.kill(Number(readFileSync(join(dir, `${name}.pid`), 'utf8').trim()), 'SIGTERM');
      } catch {
        // not started
      }
    }
    run(['ip', 'netns', 'del', netns]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('every live step succeeds, and a second run changes nothing (idempotent)', () => {
    const first = applyAll(live);
    expect(first.filter((r) => r.status !== 0)).toEqual([]);
    const before = ovs(['ovs-vsctl', 'show']).stdout;
    const second = applyAll(live);
    expect(second.filter((r) => r.status !== 0)).toEqual([]);
    expect(ovs(['ovs-vsctl', 'show']).stdout).toBe(before);
    expect(before).toContain('Bridge cloudbr0');
    expect(before).toContain('Bridge cloud0');
  });

  it('builds what the intent says: fake bridge on cloudbr0 tag 100, bonds with OVS miimon keys, netdev datapath', () => {
    expect(ovs(['ovs-vsctl', 'br-to-parent', 'cloudbr100']).stdout.trim()).toBe('cloudbr0');
    expect(ovs(['ovs-vsctl', 'br-to-vlan', 'cloudbr100']).stdout.trim()).toBe('100');
    expect(ovs(['ovs-vsctl', 'list-ports', 'cloudbr0']).stdout.split('\n')).toContain('bond0');
    expect(ovs(['ovs-vsctl', 'get', 'port', 'bond0', 'other_config']).stdout.trim()).toBe('{bond-detect-mode=miimon, bond-miimon-interval="100"}');
    expect(ovs(['ovs-vsctl', 'get', 'port', 'bond1', 'bond_mode']).stdout.trim()).toBe('active-backup');
    expect(ovs(['ovs-vsctl', 'get', 'bridge', 'cloudbr0', 'datapath_type']).stdout.trim()).toBe('netdev');
    expect(ovs(['ovs-vsctl', 'get', 'interface', 'eth2', 'other_config:enable-vlan-splinters']).stdout.trim()).toBe('"true"');
    const bond = ovs(['ovs-appctl', 'bond/show', 'bond0']);
    expect(bond.status).toBe(0);
    expect(bond.stdout).toContain('bond_mode: active-backup');
  });

  it("proves the reference's ifcfg-cloudbr100 needs OVS_OPTIONS: add-br without parent fails on a fake bridge", () => {
    const bare = ovs(['ovs-vsctl', '--may-exist', 'add-br', 'cloudbr100']);
    expect(bare.status).not.toBe(0);
    expect(bare.stderr).toMatch(/cloudbr100 is a VLAN bridge for VLAN 100/);
    // What ifup-ovs runs with our OVS_OPTIONS="cloudbr0 100":
    expect(ovs(['ovs-vsctl', '--may-exist', 'add-br', 'cloudbr100', 'cloudbr0', '100']).status).toBe(0);
  });

  it('rejects a bond with an invalid bond_mode (the check can fail)', () => {
    const step = live.find((s) => s.name === 'ovs-add-bond-bond0')!;
    const r = ovs(step.argv.map((a) => (a === 'bond_mode=active-backup' ? 'bond_mode=fastest' : a)));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/fastest/);
  });
});
