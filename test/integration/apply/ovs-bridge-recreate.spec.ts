import { execFileSync } from 'node:child_process';
import type { LiveState } from '../../../libs/intent/src/domain/live-state';
import { parseFacts } from '../../../libs/apply/src/parsers/facts.parser';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { OvsBridgeNotRestorableError } from '../../../libs/render/src/domain/render-errors';
import { planOvsTransition } from '../../../libs/render/src/transition/ovs-transition.planner';
import { ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { usePrivateOvsdb } from '../../support/private-ovsdb';
import { removeBridgesMadeSince } from './support/made-bridges';

/**
 * A bridge a run retires (an old-label bridge hostnet made, and a fake bridge on it) comes back from the plan's
 * own undo as the rows it was, on a real (userspace, DB-only) ovsdb-server: every column of its Bridge row and of
 * its own Port and Interface rows (and the fake bridge's), values ovs-vsctl has to quote included. A bridge
 * whose row holds what no command gives back (a controller, a mirror) refuses the plan, before anything runs.
 */
const NS = `hnbrrecreate${process.pid}`;

describe('an OVS bridge a run retires comes back from its undo as the rows it was (real ovs-vsctl)', () => {
  const { dir, ovs } = usePrivateOvsdb('hostnet-ovs-bridge-recreate-', NS);
  /**
   * The Bridge, Port and Interface tables' whole rows by name, every column but the uuids, references to ports and
   * interfaces by name (a recreated row has new uuids, and ovs-vsctl lists rows in no set order): a column the
   * undo forgot shows, whether facts read it or not.
   */
  const rows = () => {
    const tables = ['bridge', 'port', 'interface'].map((t) => JSON.parse(ovs('-f', 'json', 'list', t)) as { headings: string[]; data: unknown[][] });
    const names = new Map<string, string>();
    for (const table of tables) for (const row of table.data) names.set((row[table.headings.indexOf('_uuid')] as [string, string])[1], row[table.headings.indexOf('name')] as string);
    const byName = (cell: unknown): unknown => {
      const [kind, value] = cell as [string, unknown];
      if (kind === 'uuid') return names.get(value as string) ?? value;
      if (kind === 'set') return (value as unknown[]).map(byName).sort();
      return cell;
    };
    return tables.map((table) =>
      Object.fromEntries(
        table.data.map((row) => [
          row[table.headings.indexOf('name')] as string,
          Object.fromEntries(table.headings.map((h, i) => [h, row[i]] as const).filter(([h]) => h !== '_uuid').map(([h, v]) => [h, ['ports', 'interfaces'].includes(h) ? byName(v) : v])),
        ]),
      ),
    );
  };
  const factsText = () =>
    execFileSync('ip', ['netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { input: '', env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOSTNET_ROOT: dir, OVS_RUNDIR: dir } }).toString();
  /** hostnet's last run made oldbr0 and its fake bridge oldbr0-200: the reference intent's labels no longer name them. */
  const previous: LiveState = { links: [{ name: 'oldbr0', kind: 'ovs-bridge' }, { name: 'oldbr0-200', kind: 'ovs-fake-bridge', parent: 'oldbr0', vlanId: 200 }], addresses: [], routes: [] };
  const planFromFacts = () => planOvsTransition(ubuntuOvsIntent, parseFacts(factsText()).live, { previous });
  const run = (argv: string[]) => {
    expect(argv[0]).toBe('ovs-vsctl');
    ovs(...argv.slice(1));
  };

  beforeEach(() => {
    // oldbr0 carries bond0, which the intent wants on cloudbr0: the plan moves it and retires both bridges
    ovs('--may-exist', 'add-br', 'oldbr0', '--', 'set', 'bridge', 'oldbr0', 'datapath_type=netdev', 'fail_mode=secure', 'stp_enable=true', 'rstp_enable=true',
      'mcast_snooping_enable=true', 'protocols=OpenFlow10,OpenFlow13', 'flood_vlans=10,20', 'other_config:hwaddr="02:00:00:00:00:01"', 'other_config:"a:b"="x y"',
      'external_ids:note="rack 3, row \\"b\\""', 'external_ids:nl="a\\nb"', 'external_ids:e=""',
      '--', 'set', 'port', 'oldbr0', 'external_ids:owner=ops', 'other_config:priority-tags=true',
      '--', 'set', 'interface', 'oldbr0', 'mtu_request=9000', 'mac="02:00:00:00:00:02"', 'external_ids:k="v w"',
      '--', '--may-exist', 'add-br', 'oldbr0-200', 'oldbr0', '200',
      '--', 'set', 'port', 'oldbr0-200', 'external_ids:owner=vlan',
      '--', 'set', 'interface', 'oldbr0-200', 'mtu_request=1400', 'mac="02:00:00:00:00:03"',
      '--', '--may-exist', 'add-bond', 'oldbr0', 'bond0', 'eth0', 'eth1', '--', 'set', 'port', 'bond0', 'bond_mode=active-backup');
  });

  afterEach(() => ovs('--if-exists', 'del-br', 'oldbr0'));

  it("the plan's steps run, then its undo: the retired bridge and its fake bridge are the rows they were, Bridge, own Port and Interface", () => {
    const before = rows();
    const bridgesBefore = ovs('list-br').split('\n').filter(Boolean);
    expect(before[0]!.oldbr0).toMatchObject({ fail_mode: 'secure', stp_enable: true, datapath_type: 'netdev', flood_vlans: ['set', [10, 20]] });

    const plan = planFromFacts();
    expect(plan.retired).toEqual(expect.arrayContaining(['oldbr0', 'oldbr0-200']));
    plan.steps.forEach((step) => run(step.argv));
    expect(Object.keys(rows()[0]!)).not.toContain('oldbr0');
    expect(Object.keys(rows()[1]!)).not.toContain('oldbr0-200');
    removeBridgesMadeSince(ovs, bridgesBefore);
    plan.undoSteps.forEach((step) => run(step.argv));
    const after = rows();
    // table by table, so a failure names the row and column
    expect(after[0]).toEqual(before[0]);
    expect(after[1]).toEqual(before[1]);
    expect(after[2]).toEqual(before[2]);
  });

  it('a retired bridge with a controller or a mirror: the plan is refused, naming the bridge, the column and the fix; cleared as it says, it goes ahead', () => {
    ovs('set-controller', 'oldbr0', 'tcp:127.0.0.1:6653', '--', '--id=@m', 'create', 'mirror', 'name=m0', 'select_all=true', '--', 'add', 'bridge', 'oldbr0', 'mirrors', '@m');
    expect(planFromFacts).toThrow(OvsBridgeNotRestorableError);
    expect(planFromFacts).toThrow(
      /^OVS bridge oldbr0: this run deletes it .* without Bridge oldbr0 controller=\[[0-9a-f-]{36}\] \(an OpenFlow controller.*\), Bridge oldbr0 mirrors=\[[0-9a-f-]{36}\] \(a port mirror.*fix: clear those columns before the run \(ovs-vsctl clear bridge oldbr0 controller; ovs-vsctl clear bridge oldbr0 mirrors\)/,
    );
    ovs('clear', 'bridge', 'oldbr0', 'controller', '--', 'clear', 'bridge', 'oldbr0', 'mirrors');
    expect(planFromFacts().undoSteps[0]!.argv.join(' ')).toContain('--may-exist add-br oldbr0 -- set bridge oldbr0 datapath_type=netdev fail_mode=secure');
  });
});
