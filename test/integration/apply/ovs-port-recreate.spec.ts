import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFacts } from '../../../libs/apply/src/parsers/facts.parser';
import { FACTS_SCRIPT } from '../../../libs/apply/src/scripts/facts.script';
import { ovsTransaction, recreatePort } from '../../../libs/render/src/transition/ovs-commands';
import { buildOvsLiveModel } from '../../../libs/render/src/transition/ovs-live-model';
import { startPrivateOvsdb, stopPrivateOvsdb } from '../../support/private-ovsdb';

/**
 * A port read by the facts script and recreated by the undo's commands is the same row, on a real (userspace,
 * DB-only) ovsdb-server: every column facts read and the undo sets, values ovs-vsctl has to quote included
 * (spaces, commas, `=`, quotes, a newline, DEL, a key with `:`, an empty value, `__proto__`).
 */
const NS = `hnrecreate${process.pid}`;
const PORT_COLUMNS = 'name,bond_mode,lacp,tag,other_config,trunks,vlan_mode,external_ids';
const INTERFACE_COLUMNS = 'name,type,other_config,options,external_ids,mtu_request';

describe('an OVS port recreated from facts is the row it was (real ovs-vsctl)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-ovs-recreate-'));
  const ovs = (...args: string[]): string => execFileSync('ovs-vsctl', [`--db=unix:${dir}/db.sock`, '--no-wait', ...args]).toString();
  /** Each table's rows by name (a recreated row has a new uuid, and ovs-vsctl lists rows in no set order). */
  const rows = () =>
    [ovs('-f', 'json', `--columns=${PORT_COLUMNS}`, 'list', 'port'), ovs('-f', 'json', `--columns=${INTERFACE_COLUMNS}`, 'list', 'interface')].map((text) => {
      const table = JSON.parse(text) as { headings: string[]; data: unknown[][] };
      return Object.fromEntries(table.data.map((row) => [row[0] as string, Object.fromEntries(table.headings.map((h, i) => [h, row[i]]))]));
    });

  beforeAll(() => {
    execFileSync('ip', ['netns', 'add', NS]);
    startPrivateOvsdb(dir);
    ovs('init');
  });

  afterAll(() => stopPrivateOvsdb(dir, NS));

  it('a trunk port and a bond: settings read, the port deleted, the undo commands run, every row as before', () => {
    ovs('add-br', 'ovsbr0', '--', 'add-port', 'ovsbr0', 'eth4', '--', 'set', 'port', 'eth4', 'trunks=100,200,4095', 'vlan_mode=native-untagged', 'tag=100',
      'external_ids:owner=ops', 'external_ids:note="to tor-1, rack 3"', 'external_ids:k="x y=z"', 'external_ids:e=""', 'external_ids:"a:b"=c', 'external_ids:"__proto__"=p',
      '--', 'set', 'interface', 'eth4', 'mtu_request=9000', 'external_ids:cable="a=b \\"c\\""', 'external_ids:nl="a\\nb\\\\c\\té\\u007f"');
    ovs('add-bond', 'ovsbr0', 'bond0', 'eth0', 'eth1', '--', 'set', 'port', 'bond0', 'bond_mode=balance-slb', 'other_config:bond-rebalance-interval=0', 'external_ids:"sp ace"="1"',
      '--', 'set', 'interface', 'eth1', 'external_ids:attached-mac="52:54:00:aa:bb:cc"', 'mtu_request=1400');
    const before = rows();

    const out = execFileSync('ip', ['netns', 'exec', NS, 'sh', '-c', FACTS_SCRIPT, 'hostnet-facts'], { input: '', env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOSTNET_ROOT: dir, OVS_RUNDIR: dir } }).toString();
    const model = buildOvsLiveModel(parseFacts(out).live);
    expect(model.ports.get('eth4')?.settings).toMatchObject({ trunks: [100, 200, 4095], vlanMode: 'native-untagged', externalIds: { '__proto__': 'p', e: '', k: 'x y=z' } });
    expect(model.ifaces.get('eth4')).toMatchObject({ mtuRequest: 9000, externalIds: { nl: 'a\nb\\c\té\u007f' } });

    const undo = ovsTransaction(['eth4', 'bond0'].flatMap((name) => [['--if-exists', 'del-port', name], ...recreatePort(model.ports.get(name)!, model.ifaces)]));
    ovs('del-port', 'eth4', '--', 'del-port', 'bond0');
    expect(JSON.stringify(rows())).not.toContain('eth4');
    ovs(...undo.slice(1));
    expect(rows()).toEqual(before);
  });
});
