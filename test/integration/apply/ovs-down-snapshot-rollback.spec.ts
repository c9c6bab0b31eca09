import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplyStep, RenderedConfig } from '@hostnet/render';
import { applyWithoutConfirm } from './support/host-scripts';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

/**
 * A host with openvswitch installed and not started (a blank host's first run): the snapshot reads the bridges from
 * the database file, the run's activation starts OVS and makes bridges in it, and the rollback removes what the run
 * made and owns, and only that: the real apply and restore scripts, a real ovsdb-server (userspace, DB only) on the
 * host root's /etc/openvswitch/conf.db, where ovsdb-tool finds it, started by the run's own step.
 */
const NEW_FILE = 'auto lo\niface lo inet loopback\n# hostnet\n';
const OWNS = ['cloudbr0', 'cloudbr1', 'eth1', 'bond0'];

describe('a rollback after a run that started Open vSwitch removes what the run made in it, and only that (real ovsdb, real restore.sh)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-ovs-down-'));
  const sock = join(dir, 'db.sock');
  const ovs = (...args: string[]): string => execFileSync('ovs-vsctl', [`--db=unix:${sock}`, '--no-wait', ...args]).toString();
  let root: SimRoot;
  const db = () => root.path('etc/openvswitch/conf.db');
  const runDir = (run: string) => `var/lib/hostnet/backups/${run}`;
  const events = (run: string) => root.read(`${runDir(run)}/journal`).trim().split('\n').map((l) => l.split(' ').slice(1).join(' '));
  const pid = () => Number(readFileSync(join(dir, 'ovsdb.pid'), 'utf8').trim());
  const running = () => existsSync(join(dir, 'ovsdb.pid')) && existsSync(`/proc/${pid()}`);

  /** What `systemctl start openvswitch` does here: the host's ovsdb-server on its database file. */
  const startOvs = `#!/bin/sh
ovsdb-server "$HOSTNET_ROOT/etc/openvswitch/conf.db" --remote=punix:${sock} --pidfile=${dir}/ovsdb.pid --unixctl=${dir}/ovsdb.ctl --detach --log-file=${dir}/ovsdb.log </dev/null >/dev/null 2>&1
`;
  function stopOvs(): void {
    if (!running()) return;
    const p = pid();
    process.kill(p);
    while (existsSync(`/proc/${p}`)) execFileSync('sleep', ['0.05']);
  }
  /** Every bridge with its ports, sorted. */
  function bridges(): Record<string, string> {
    return Object.fromEntries(ovs('list-br').split('\n').filter(Boolean).map((b) => [b, ovs('list-ports', b).split('\n').filter(Boolean).sort().join(' ')]));
  }

  async function applyThenRollBack(run: string, steps: ApplyStep[], between: () => void = () => undefined): Promise<void> {
    const rendered: RenderedConfig = { target: 'debian-ifupdown-ovs', files: [{ path: '/etc/network/interfaces', content: NEW_FILE, mode: 0o644 }], removes: [], steps, undoSteps: [] };
    const session = new LocalHostSession(root.dir);
    expect(await applyWithoutConfirm(session, rendered, run, 'spec1', 60, OWNS)).toMatchObject({ status: 'armed' });
    between();
    expect(await session.exec(`sh "$HOSTNET_ROOT"/${runDir(run)}/restore.sh "$HOSTNET_ROOT"/${runDir(run)} now verify-failed`)).toMatchObject({ code: 0 });
    expect(root.state()).toMatchObject({ runId: run, phase: 'rolled-back' });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
  }

  beforeEach(() => {
    root = new SimRoot();
    mkdirSync(root.path('etc/openvswitch'), { recursive: true });
    // the database before the run: cloudbr0 with eth1, both names hostnet owns (a host it configured before); OVS then stopped
    execFileSync('ovsdb-tool', ['create', db(), '/usr/share/openvswitch/vswitch.ovsschema']);
    execFileSync('sh', ['-c', startOvs], { env: { ...process.env, HOSTNET_ROOT: root.dir } });
    ovs('init');
    ovs('add-br', 'cloudbr0');
    ovs('add-port', 'cloudbr0', 'eth1');
    stopOvs();
    writeFileSync(root.path('.sim/bin/ovs-vsctl'), `#!/bin/sh\nexec /usr/bin/ovs-vsctl --db=unix:${sock} --no-wait "$@"\n`, { mode: 0o755 });
    writeFileSync(root.path('.sim/bin/sim-start-ovs'), startOvs, { mode: 0o755 });
  });

  afterEach(() => {
    stopOvs();
    root.remove();
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const START: ApplyStep = { name: 'start-ovs', argv: ['sim-start-ovs'], phase: 'live' };
  const MAKE: ApplyStep[] = [
    { name: 'ovs-add-br-cloudbr1', argv: ['ovs-vsctl', '--may-exist', 'add-br', 'cloudbr1'], phase: 'live' },
    { name: 'ovs-add-port-bond0', argv: ['ovs-vsctl', '--may-exist', 'add-port', 'cloudbr0', 'bond0'], phase: 'live' },
  ];

  it("the run's bridge and port go, the bridge and port the database held before stay; OVS is left running, and the journal says why", async () => {
    await applyThenRollBack('started-1', [START, ...MAKE], () => expect(bridges()).toEqual({ cloudbr0: 'bond0 eth1', cloudbr1: '' }));

    expect(bridges()).toEqual({ cloudbr0: 'eth1' });
    const journal = events('started-1');
    expect(journal).toEqual(expect.arrayContaining(['removed-bridge cloudbr1', 'removed-port cloudbr0 bond0']));
    expect(journal.filter((e) => e.startsWith('kept-ovs'))).toEqual([expect.stringMatching(/^kept-ovs running: it was down before the run/)]);
    expect(journal.at(-1)).toBe('restored');
  }, 30_000);

  it('OVS still down at the restore and its database as before: nothing to undo there, the restore is complete', async () => {
    await applyThenRollBack('untouched-1', [{ name: 'noop', argv: ['true'], phase: 'live' }]);

    const journal = events('untouched-1');
    expect(journal.filter((e) => e.startsWith('restore-failed') || e.startsWith('kept-ovs'))).toEqual([]);
    expect(journal.at(-1)).toBe('restored');
  }, 30_000);

  it('OVS down again at the restore with the run\'s bridge in its database: a miss for the next restore, not "restored"', async () => {
    await applyThenRollBack('stopped-1', [START, ...MAKE], stopOvs);

    const journal = events('stopped-1');
    expect(journal).toContain('restore-failed ovs list-br');
    expect(journal.at(-1)).toBe('restore-incomplete');
  }, 30_000);
});
