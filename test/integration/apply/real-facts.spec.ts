import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ovsDatabaseDown } from '../../../libs/apply/src/domain/host-facts';
import { parseFacts, stateAsScriptsRead } from '../../../libs/apply/src/parsers/facts.parser';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { APPLY_SCRIPT } from '../../../libs/apply/src/scripts/apply.script';
import { encodeApplyPayload, type ApplyPayload } from '../../../libs/apply/src/payload/apply-payload.encoder';
import { startPrivateOvsdb, stopPrivateOvsdb } from '../../support/private-ovsdb';

// The facts script against real iproute2 in a namespace of our own and a real (userspace, DB-only)
// ovsdb-server, parsed by the same parser the workflow uses.
const NS = `hnapply${process.pid}`;

function run(args: string[], env: Record<string, string>, stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(args[0], args.slice(1), { env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
    child.stdin.end(stdin);
  });
}

describe('facts and apply scripts on real iproute2 and Open vSwitch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-facts-'));
  const ovs = (...args: string[]): string => execFileSync('ovs-vsctl', [`--db=unix:${dir}/db.sock`, '--no-wait', ...args]).toString();

  beforeAll(() => {
    const ip = (...args: string[]): void => void execFileSync('ip', ['-n', NS, ...args]);
    execFileSync('ip', ['netns', 'add', NS]);
    ip('link', 'add', 'cloudbr0', 'type', 'bridge');
    ip('link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth9');
    ip('link', 'set', 'eth0', 'master', 'cloudbr0');
    for (const dev of ['lo', 'cloudbr0', 'eth0', 'eth9']) ip('link', 'set', dev, 'up');
    ip('addr', 'add', '192.168.100.20/24', 'dev', 'cloudbr0');
    ip('route', 'add', 'default', 'via', '192.168.100.1', 'dev', 'cloudbr0');
    startPrivateOvsdb(dir);
    ovs('init');
    ovs('add-br', 'cloudbr1', '--', 'add-bond', 'cloudbr1', 'bond1', 'eth1', 'eth2', 'bond_mode=active-backup');
    ovs('add-br', 'cloudbr200', 'cloudbr1', '200');
  });

  afterAll(() => stopPrivateOvsdb(dir, NS));

  it('reports the bridge, veth, address, route and the OVS bond and fake bridge', async () => {
    // OVS_RUNDIR points plain `ovs-vsctl` (as the script calls it) at our private ovsdb-server.
    const out = await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir });
    const facts = parseFacts(out);
    const byName = new Map(facts.live.links.map((l) => [l.name, l]));
    // a real kernel's new bridge: STP off, the default 15 s forward delay (ip -d: info_data)
    expect(byName.get('cloudbr0')).toEqual({ name: 'cloudbr0', kind: 'bridge', members: ['eth0'], up: true, bridge: { stp: false, forwardDelay: 1500 } });
    expect(byName.get('eth0')).toMatchObject({ kind: 'nic', master: 'cloudbr0' });
    expect(facts.live.addresses).toEqual([{ dev: 'cloudbr0', address: '192.168.100.20', prefix: 24 }]);
    expect(facts.live.routes).toContainEqual({ to: 'default', via: '192.168.100.1', dev: 'cloudbr0' });
    expect(facts.ovsPresent).toBe(true);
    expect(byName.get('bond1')).toEqual({ name: 'bond1', kind: 'ovs-bond', master: 'cloudbr1', members: ['eth1', 'eth2'], ovsPort: { bondMode: 'active-backup', otherConfig: {} } });
    // a fake bridge's own port (its VLAN) and internal interface, which an undo that recreates it sets back
    expect(byName.get('cloudbr200')).toEqual({
      name: 'cloudbr200', kind: 'ovs-fake-bridge', parent: 'cloudbr1', vlanId: 200, members: [],
      ovsPort: { tag: 200, otherConfig: {} }, ovsInterface: { type: 'internal', otherConfig: {}, options: {} },
    });
    expect(byName.get('cloudbr1')).toMatchObject({ kind: 'ovs-bridge', ovsBridge: { datapathType: '', otherConfig: {} }, ovsInterface: { type: 'internal' } });
    expect(facts.tools.ip).toMatch(/\/ip$/);
    expect(facts.files.size).toBe(0);
    expect(facts.runState).toBeUndefined();
    expect(facts.nmOvsPlugin).toBe(false);
  });

  it('tells Open vSwitch installed but its database not answering (ovsdb-server stopped) from one that answers', async () => {
    const stopped = mkdtempSync(join(tmpdir(), 'hostnet-ovs-stopped-'));
    try {
      // the same ovs-vsctl on PATH, its run directory holding no ovsdb-server socket: what a host with OVS not started has
      const facts = parseFacts(await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: stopped, OVS_RUNDIR: stopped }));
      expect([facts.tools['ovs-vsctl'], facts.ovsPresent, ovsDatabaseDown(facts)]).toEqual([expect.stringMatching(/\/ovs-vsctl$/), false, true]);
      expect(facts.live.links.some((l) => l.kind === 'nic' || l.kind === 'bridge')).toBe(true);
      const answering = parseFacts(await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir }));
      expect(ovsDatabaseDown(answering)).toBe(false);
      expect(ovsDatabaseDown({ ...answering, tools: {}, ovsPresent: false })).toBe(false); // not installed: target selection says so
    } finally {
      rmSync(stopped, { recursive: true, force: true });
    }
  });

  it("reports a rolled-back run's restore as its journal tells it: what it could not undo, what it kept", async () => {
    const state = join(dir, 'var/lib/hostnet');
    mkdirSync(join(state, 'backups/run-r1'), { recursive: true });
    writeFileSync(join(state, 'state.json'), '{"runId":"run-r1","specHash":"s1","phase":"rolled-back","deadline":"","appliedSpecHash":"s0","updatedAt":"1"}\n');
    const journal = ['1 armed 60', '2 restore-start timer', '3 restored-file /etc/x', '4 restore-failed step restore-ifup-bond0.100 1', '5 restore-failed mtu eth0 1500', '5 kept-bridge cloudbr9 ports vnet0', '6 restore-incomplete'];
    writeFileSync(join(state, 'backups/run-r1/journal'), `${journal.join('\n')}\n`);
    try {
      const facts = parseFacts(await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir }));
      expect(facts.restore).toEqual({ done: true, incomplete: ['step restore-ifup-bond0.100 1', 'mtu eth0 1500'], kept: ['cloudbr9 ports vnet0'] });
      writeFileSync(join(state, 'backups/run-r1/journal'), `${[...journal.slice(0, 3), '6 restored'].join('\n')}\n`);
      expect(parseFacts(await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir })).restore).toEqual({ done: true, incomplete: [], kept: [] });
    } finally {
      rmSync(state, { recursive: true, force: true });
    }
  });

  it("finds NetworkManager's OVS plugin where EL (lib64) and Debian (multiarch) install it", async () => {
    for (const lib of ['usr/lib64/NetworkManager/1.46.0-26.el9_4', 'usr/lib/x86_64-linux-gnu/NetworkManager/1.42.4']) {
      mkdirSync(join(dir, lib), { recursive: true });
      writeFileSync(join(dir, lib, 'libnm-device-plugin-ovs.so'), '');
      const facts = parseFacts(await run(['ip', 'netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir }));
      expect([lib, facts.nmOvsPlugin]).toEqual([lib, true]);
      rmSync(join(dir, 'usr'), { recursive: true, force: true });
    }
  });

  it('a failing step after live OVS steps restores OVS: only what the run added and owns is deleted', async () => {
    const payload = encodeApplyPayload({
      runId: 'ovs-run-1',
      specHash: 'spec1',
      rollbackSeconds: 60,
      stepTimeoutSeconds: 10,
      seen: seenState(dir),
      files: [{ path: '/etc/network/interfaces', content: 'auto cloudbr5\n', mode: 0o644 }],
      removes: [],
      steps: [
        { name: 'ovs-add-br-cloudbr5', argv: ['ovs-vsctl', '--no-wait', 'add-br', 'cloudbr5'], phase: 'live' },
        { name: 'ovs-add-port-eth9', argv: ['ovs-vsctl', '--no-wait', 'add-port', 'cloudbr1', 'eth9'], phase: 'live' },
        // A VM's tap plugged in by the agent while the run is armed: not hostnet's, so it stays.
        { name: 'agent-plugs-vnet7', argv: ['ovs-vsctl', '--no-wait', 'add-port', 'cloudbr1', 'vnet7'], phase: 'live' },
        { name: 'activate', argv: ['sh', '-c', 'exit 4'], phase: 'activate' },
      ],
      restoreSteps: [],
      owns: ['cloudbr1', 'cloudbr5', 'bond1', 'eth9'],
    });
    const out = await run(['sh', '-c', APPLY_SCRIPT, 'hostnet-apply'], { HOSTNET_ROOT: dir, OVS_RUNDIR: dir }, payload);
    expect(JSON.parse(out.trim())).toMatchObject({ status: 'failed', failed: 'step activate', phase: 'rolled-back' });
    expect(ovs('list-br').split('\n').filter(Boolean)).toEqual(['cloudbr1', 'cloudbr200']);
    expect(ovs('list-ports', 'cloudbr1').trim().split('\n')).toEqual(['bond1', 'vnet7']);
  });

  it('writes only the files whose content or mode differ, decided in one sha256sum and one stat', async () => {
    const conf = (name: string) => join(dir, 'etc', 'plan', name);
    mkdirSync(join(dir, 'etc', 'plan'), { recursive: true });
    writeFileSync(conf('same'), 'a=1\n', { mode: 0o644 });
    writeFileSync(conf('mode'), 'b=1\n', { mode: 0o600 });
    writeFileSync(conf('content'), 'c=1\n', { mode: 0o644 });
    const payload = encodeApplyPayload({
      runId: 'plan-run-1',
      specHash: 'spec-plan',
      rollbackSeconds: 60,
      stepTimeoutSeconds: 10,
      // the run before (the OVS test's) left its state: a payload says it saw it, as the worker's facts would
      seen: seenState(dir),
      files: [
        { path: '/etc/plan/same', content: 'a=1\n', mode: 0o644 },
        { path: '/etc/plan/mode', content: 'b=1\n', mode: 0o644 },
        { path: '/etc/plan/content', content: 'c=2\n', mode: 0o644 },
        { path: '/etc/plan/new', content: 'e=1\n', mode: 0o644 },
      ],
      removes: [],
      // a failing step: the run rolls back at once, leaving no rollback watcher behind the test
      steps: [{ name: 'activate', argv: ['sh', '-c', 'exit 4'], phase: 'activate' }],
      restoreSteps: [],
      owns: [],
    });
    const out = await run(['sh', '-c', APPLY_SCRIPT, 'hostnet-apply'], { HOSTNET_ROOT: dir }, payload);
    const result = JSON.parse(out.trim()) as { changes: { path: string }[] };
    expect(result.changes.map((c) => c.path).sort()).toEqual(['/etc/plan/content', '/etc/plan/mode', '/etc/plan/new']);
  });
});

/** The run state a worker's facts would report for the host rooted at `root` (ApplyPayload.seen). */
function seenState(root: string): ApplyPayload['seen'] {
  const path = join(root, 'var/lib/hostnet/state.json');
  return existsSync(path) ? stateAsScriptsRead(readFileSync(path, 'utf8')) : null;
}
