import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFacts } from '../../../libs/apply/src/parsers/facts.parser';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { OvsPortNotRestorableError } from '../../../libs/render/src/domain/render-errors';
import { ovsTransaction, recreatePort } from '../../../libs/render/src/transition/ovs-commands';
import { buildOvsLiveModel } from '../../../libs/render/src/transition/ovs-live-model';
import { planOvsTransition } from '../../../libs/render/src/transition/ovs-transition.planner';
import { ubuntuOvsIntent } from '../../../libs/render/test/fixtures/reference-intents';
import { startPrivateOvsdb, stopPrivateOvsdb } from '../../support/private-ovsdb';
import { removeBridgesMadeSince } from './support/made-bridges';

/**
 * A port read by the facts script and recreated by the undo's commands is the same row, on a real (userspace,
 * DB-only) ovsdb-server: every column of the Port and Interface rows but their uuids, values ovs-vsctl has to
 * quote included (spaces, commas, `=`, quotes, a newline, DEL, a key with `:`, an empty value, `__proto__`).
 * The plan's own steps and undo run too (the undo after the restore's removal of the bridges the run made); a
 * row holding what no command gives back (a QoS row, BFD) refuses the plan, before anything runs.
 */
const NS = `hnrecreate${process.pid}`;

describe('an OVS port recreated from facts is the row it was (real ovs-vsctl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-ovs-recreate-'));
  const ovs = (...args: string[]): string => execFileSync('ovs-vsctl', [`--db=unix:${dir}/db.sock`, '--no-wait', ...args]).toString();
  /**
   * Each table's whole rows by name, every column but the uuids (a recreated row has new ones, and ovs-vsctl lists
   * rows in no set order): a column the undo forgot shows, whether facts read it or not.
   */
  const rows = () =>
    [ovs('-f', 'json', 'list', 'port'), ovs('-f', 'json', 'list', 'interface')].map((text) => {
      const table = JSON.parse(text) as { headings: string[]; data: unknown[][] };
      const columns = table.headings.map((h, i) => [h, i] as const).filter(([h]) => h !== '_uuid' && h !== 'interfaces');
      return Object.fromEntries(table.data.map((row) => [row[table.headings.indexOf('name')] as string, Object.fromEntries(columns.map(([h, i]) => [h, row[i]]))]));
    });
  /** The facts script's output, run as on a host against this ovsdb-server. */
  const factsText = () =>
    execFileSync('ip', ['netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { input: '', env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOSTNET_ROOT: dir, OVS_RUNDIR: dir } }).toString();
  const facts = () => buildOvsLiveModel(parseFacts(factsText()).live);

  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
    startPrivateOvsdb(dir);
    ovs('init');
    ovs('add-br', 'ovsbr0');
  });

  afterAll(() => stopPrivateOvsdb(dir, NS));

  it('a trunk port and a bond: settings read, the port deleted, the undo commands run, every row as before', () => {
    ovs('add-port', 'ovsbr0', 'eth4', '--', 'set', 'port', 'eth4', 'trunks=100,200,4095', 'vlan_mode=native-untagged', 'tag=100',
      'external_ids:owner=ops', 'external_ids:note="to tor-1, rack 3"', 'external_ids:k="x y=z"', 'external_ids:e=""', 'external_ids:"a:b"=c', 'external_ids:"__proto__"=p',
      '--', 'set', 'interface', 'eth4', 'mtu_request=9000', 'external_ids:cable="a=b \\"c\\""', 'external_ids:nl="a\\nb\\\\c\\té\\u007f"');
    ovs('add-bond', 'ovsbr0', 'bond0', 'eth0', 'eth1', '--', 'set', 'port', 'bond0', 'bond_mode=balance-slb', 'other_config:bond-rebalance-interval=0', 'external_ids:"sp ace"="1"',
      '--', 'set', 'interface', 'eth1', 'external_ids:attached-mac="52:54:00:aa:bb:cc"', 'mtu_request=1400');
    const before = rows();

    const model = facts();
    expect(model.ports.get('eth4')?.settings).toMatchObject({ trunks: [100, 200, 4095], vlanMode: 'native-untagged', externalIds: { '__proto__': 'p', e: '', k: 'x y=z' } });
    expect(model.ifaces.get('eth4')).toMatchObject({ mtuRequest: 9000, externalIds: { nl: 'a\nb\\c\té\u007f' } });

    const undo = ovsTransaction(['eth4', 'bond0'].flatMap((name) => [['--if-exists', 'del-port', name], ...recreatePort(model.ports.get(name)!, model.ifaces)]));
    ovs('del-port', 'eth4', '--', 'del-port', 'bond0');
    expect(JSON.stringify(rows())).not.toContain('eth4');
    ovs(...undo.slice(1));
    expect(rows()).toEqual(before);
    ovs('del-port', 'eth4', '--', 'del-port', 'bond0');
  });

  /** The plan from this host's facts to the reference Ubuntu OVS intent (bond0 = eth0+eth1 on cloudbr0, bond1 = eth2+eth3 on cloudbr1). */
  const planFromFacts = () => planOvsTransition(ubuntuOvsIntent, parseFacts(factsText()).live);
  const run = (argv: string[]) => {
    expect(argv[0]).toBe('ovs-vsctl');
    ovs(...argv.slice(1));
  };

  it("the plan's steps run, then its undo: a removed bond and port come back with every column (bond delays, fake iface, protected, cvlans, macs, ofport_request, policing, lldp)", () => {
    ovs('add-bond', 'ovsbr0', 'uplink0', 'eth0', 'eth1', '--', 'set', 'port', 'uplink0', 'bond_mode=active-backup', 'bond_updelay=200', 'bond_downdelay=100', 'bond_fake_iface=true',
      'protected=true', 'mac="02:00:00:00:00:0a"', 'vlan_mode=dot1q-tunnel', 'tag=7', 'cvlans=5,6',
      '--', 'set', 'interface', 'eth0', 'mac="02:00:00:00:00:0b"', 'ofport_request=12', 'ingress_policing_rate=1000', 'ingress_policing_burst=100',
      'ingress_policing_kpkts_rate=5', 'ingress_policing_kpkts_burst=6', 'lldp:enable=true', '--', 'set', 'interface', 'eth1', 'ofport_request=13',
      '--', 'add-port', 'ovsbr0', 'eth2', '--', 'set', 'port', 'eth2', 'bond_updelay=5', '--', 'set', 'interface', 'eth2', 'ingress_policing_rate=64', 'mac="02:00:00:00:00:0c"');
    const before = rows();
    const bridgesBefore = ovs('list-br').split('\n').filter(Boolean);
    expect(before[0].uplink0).toMatchObject({ bond_updelay: 200, bond_fake_iface: true, protected: true, mac: '02:00:00:00:00:0a' });

    const model = facts();
    expect(model.ports.get('uplink0')?.settings).toMatchObject({ bondUpdelay: 200, bondDowndelay: 100, bondFakeIface: true, protected: true, mac: '02:00:00:00:00:0a', cvlans: [5, 6] });
    expect(model.ifaces.get('eth0')).toMatchObject({ mac: '02:00:00:00:00:0b', ofportRequest: 12, ingressPolicingRate: 1000, ingressPolicingBurst: 100, lldp: { enable: 'true' } });

    const plan = planFromFacts();
    plan.steps.forEach((step) => run(step.argv));
    expect(Object.keys(rows()[0])).toEqual(expect.arrayContaining(['bond0', 'bond1']));
    expect(Object.keys(rows()[0])).not.toContain('uplink0');
    removeBridgesMadeSince(ovs, bridgesBefore);
    plan.undoSteps.forEach((step) => run(step.argv));
    expect(rows()).toEqual(before);
    ovs('del-port', 'uplink0', '--', 'del-port', 'eth2');
  });

  it('a port the plan removes with a QoS row, or whose interface runs BFD: the plan is refused, naming the port, the column and the fix', () => {
    ovs('add-port', 'ovsbr0', 'eth2', '--', 'set', 'port', 'eth2', 'qos=@q', '--', '--id=@q', 'create', 'qos', 'type=linux-htb');
    expect(planFromFacts).toThrow(OvsPortNotRestorableError);
    expect(planFromFacts).toThrow(/^OVS port eth2: .* without Port eth2 qos=[0-9a-f-]{36} \(a QoS row, which hostnet does not point a recreated port back at.*ovs-vsctl clear port eth2 qos/);
    ovs('clear', 'port', 'eth2', 'qos', '--', 'set', 'interface', 'eth2', 'bfd:enable=true');
    expect(planFromFacts).toThrow(/^OVS port eth2: .* without Interface eth2 bfd=\{enable="true"\} \(a BFD session.*ovs-vsctl clear interface eth2 bfd/);
    // cleared as the message says, the plan goes ahead
    ovs('clear', 'interface', 'eth2', 'bfd');
    expect(planFromFacts().undoSteps[0]!.argv.join(' ')).toContain('--if-exists del-port eth2 -- add-port ovsbr0 eth2');
    ovs('del-port', 'eth2');
  });
});
