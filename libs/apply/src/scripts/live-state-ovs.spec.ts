import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOvsSection } from '../parsers/ovs-output.parser';
import { FACTS_SCRIPT } from './facts.script';
import { compactScript } from './script-command';

const TOOLS = ['sha256sum', 'stat', 'cat', 'sort', 'mktemp', 'rm', 'base64', 'date'];

/** The Bridge, Port and Interface tables, whole rows with their heading, as a real ovs-vsctl 3.x prints them for one bridge with a trunk uplink and a fake bridge. */
const BRIDGE_HEADING =
  '_uuid,auto_attach,controller,datapath_id,datapath_type,datapath_version,external_ids,fail_mode,flood_vlans,flow_tables,ipfix,mcast_snooping_enable,mirrors,name,netflow,other_config,ports,protocols,rstp_enable,rstp_status,sflow,status,stp_enable';
const PORT_HEADING = '_uuid,bond_active_slave,bond_downdelay,bond_fake_iface,bond_mode,bond_updelay,cvlans,external_ids,fake_bridge,interfaces,lacp,mac,name,other_config,protected,qos,rstp_statistics,rstp_status,statistics,status,tag,trunks,vlan_mode';
const IFACE_HEADING = '_uuid,admin_state,bfd,bfd_status,cfm_fault,cfm_fault_status,cfm_flap_count,cfm_health,cfm_mpid,cfm_remote_mpids,cfm_remote_opstate,duplex,error,external_ids,ifindex,ingress_policing_burst,ingress_policing_kpkts_burst,ingress_policing_kpkts_rate,ingress_policing_rate,lacp_current,link_resets,link_speed,link_state,lldp,mac,mac_in_use,mtu,mtu_request,name,ofport,ofport_request,options,other_config,statistics,status,type';
const port = (uuid: string, iface: string, name: string, tail: string, updelay = 0) =>
  `${uuid},[],0,false,[],${updelay},[],${name === 'eth1' ? '{owner=ops}' : '{}'},${name === 'br0-100'},[${iface}],[],[],${name},{},false,[],{},{},{},{},${tail}`;
const iface = (uuid: string, name: string, type: string, mtuRequest: string) =>
  `${uuid},[],{},{},[],[],[],[],[],[],[],[],[],{},[],0,0,0,0,[],[],[],[],{},[],[],[],${mtuRequest},${name},[],[],{},{},{},{},${type}`;
const U = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const TABLES = [
  [BRIDGE_HEADING, `${U(7)},[],[],[],netdev,"""""",{},secure,[],{},[],false,[],br0,[],{},"[${U(4)}, ${U(5)}, ${U(6)}]",[],false,{},[],{},true`],
  [PORT_HEADING, port(U(4), U(1), 'br0', '[],[],[]'), port(U(5), U(2), 'eth1', '[],"[100, 200]",trunk', 200), port(U(6), U(3), 'br0-100', '100,[],[]')],
  [IFACE_HEADING, iface(U(1), 'br0', 'internal', '[]'), iface(U(2), 'eth1', '""""""', '9000'), iface(U(3), 'br0-100', 'internal', '[]')],
];
/** The interface table of an OVS before 2.6, which has no mtu_request column. */
const OLD_INTERFACES = TABLES[2]!.map((row) => {
  const cells = row.split(',');
  return [...cells.slice(0, 27), ...cells.slice(28)].join(',');
});

/**
 * An ovs-vsctl for one bridge br0 (port eth1) and its fake bridge br0-100 that logs its calls. Chained lists
 * come with the blank line real ovs-vsctl prints before every table after the first, or without it
 * (`separator` false), as an ovs-vsctl that does not would; each single list prints its own table. The
 * chain of every bridge's parent, VLAN and ports fails when `chained` is false (a bridge went away).
 */
function fakeOvsVsctl(log: string, separator: boolean, chained = true, mtuRequest = true): string {
  const tables = mtuRequest ? TABLES : [TABLES[0]!, TABLES[1]!, OLD_INTERFACES];
  const table = (i: number) => tables[i]!.map((row) => `echo '${row}'`).join('; ');
  const gap = separator ? 'echo' : ':';
  return `#!/bin/sh
shift
echo "$*" >> '${log}'
case "$*" in
  list-br) echo br0; echo br0-100 ;;
  '-- br-to-parent br0 -- br-to-vlan br0 -- list-ports br0 -- br-to-parent br0-100 -- br-to-vlan br0-100 -- list-ports br0-100') ${chained ? `printf 'br0\\n0\\neth1\\nbr0\\n100\\n'` : 'exit 1'} ;;
  'br-to-parent br0') echo br0 ;;
  'br-to-vlan br0') echo 0 ;;
  'br-to-parent br0-100') echo br0 ;;
  'br-to-vlan br0-100') echo 100 ;;
  'list-ports br0') echo eth1 ;;
  'list-ports br0-100') ;;
  '-f csv -- list bridge -- list port -- list interface') ${table(0)}; ${gap}; ${table(1)}; ${gap}; ${table(2)} ;;
  '-f csv list bridge') ${table(0)} ;;
  '-f csv list port') ${table(1)} ;;
  '-f csv list interface') ${table(2)} ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`;
}

describe('live state: OVS bridges, ports and interfaces in few ovs-vsctl calls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-ovs-tables-'));
  const root = join(dir, 'root');
  const bin = join(dir, 'bin');

  beforeAll(() => {
    mkdirSync(bin);
    mkdirSync(root);
    for (const tool of TOOLS) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ovsSection = (separator: boolean, chained = true, mtuRequest = true): { section: string; calls: string[]; all: string[] } => {
    const fake = mkdtempSync(join(dir, 'ovs-vsctl-'));
    const log = join(fake, 'calls.log');
    writeFileSync(join(fake, 'ovs-vsctl'), fakeOvsVsctl(log, separator, chained, mtuRequest));
    chmodSync(join(fake, 'ovs-vsctl'), 0o755);
    const r = spawnSync('/bin/sh', ['-c', compactScript(FACTS_SCRIPT), 'hostnet-facts'], { env: { PATH: `${fake}:${bin}`, HOSTNET_ROOT: root }, input: '', encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const section = /\n@@hostnet:ovs\n([\s\S]*?)\n+@@hostnet:/.exec(r.stdout)?.[1] ?? '';
    const all = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    return { section, calls: all.filter((l) => l.includes('list bridge') || l.includes('list port') || l.includes('list interface')), all };
  };

  /** The chained answer as it came, after its 'ovstables' line; table by table, each line after its table's word. */
  const verbatimRows = ['ovstables', ...TABLES.flatMap((rows, i) => [...(i > 0 ? [''] : []), ...rows])];
  const expectedRows = ['ovsbridge', 'ovsport', 'ovsiface'].flatMap((word, i) => TABLES[i]!.map((row) => `${word} ${row}`));
  const tableLines = (section: string) => section.split('\n').filter((l) => !l.startsWith('bridge ') && !l.startsWith('port '));
  const bridgeLines = (section: string) => section.split('\n').filter((l) => l.startsWith('bridge ') || l.startsWith('port '));
  const expectedBridges = ['bridge br0 br0 0', 'port br0 eth1', 'bridge br0-100 br0 100'];

  it("reads every bridge's parent, VLAN and ports in one chained call, and a real bridge's datapath type from its Bridge row, with no call of its own", () => {
    const { section, all } = ovsSection(true);
    expect(bridgeLines(section)).toEqual(expectedBridges);
    expect(all.filter((l) => !l.includes('list bridge'))).toEqual([
      'list-br',
      '-- br-to-parent br0 -- br-to-vlan br0 -- list-ports br0 -- br-to-parent br0-100 -- br-to-vlan br0-100 -- list-ports br0-100',
    ]);
    const links = parseOvsSection(section);
    expect(links.find((l) => l.name === 'br0')?.ovsDatapathType).toBe('netdev');
    expect(links.find((l) => l.name === 'br0-100')?.ovsDatapathType).toBeUndefined();
  });

  it('asks bridge by bridge, with the same lines, when the chain fails', () => {
    const { section, all } = ovsSection(true, false);
    expect(bridgeLines(section)).toEqual(expectedBridges);
    expect(all.filter((l) => l.startsWith('list-ports '))).toEqual(['list-ports br0', 'list-ports br0-100']);
  });

  it('reads the three tables, whole rows, in one ovs-vsctl call and prints them as they came, for the parser to tell apart by the blank line before each', () => {
    const { section, calls } = ovsSection(true);
    expect(tableLines(section)).toEqual(verbatimRows);
    expect(bridgeLines(section)).toEqual(expectedBridges);
    expect(calls).toHaveLength(1);
  });

  it('asks table by table when the chained call prints no separator, with the same rows', () => {
    const { section, calls } = ovsSection(false);
    expect(tableLines(section)).toEqual(expectedRows);
    expect(parseOvsSection(section)).toEqual(parseOvsSection(ovsSection(true).section));
    expect(calls).toHaveLength(4);
  });

  it("reads the rows back: the trunk uplink, its bond_updelay, the empty type of a system interface, its mtu_request; the bridge's own row", () => {
    const links = parseOvsSection(ovsSection(true).section);
    expect(links.find((l) => l.name === 'br0')).toMatchObject({ ovsBridge: { datapathType: 'netdev', failMode: 'secure', stpEnable: true, otherConfig: {} }, ovsInterface: { type: 'internal' } });
    expect(links.find((l) => l.name === 'eth1')).toMatchObject({
      ovsPort: { trunks: [100, 200], vlanMode: 'trunk', externalIds: { owner: 'ops' }, bondUpdelay: 200 },
      ovsInterface: { type: '', mtuRequest: 9000 },
    });
  });

  it('on an OVS before 2.6 (no mtu_request column) reads the same call and every other interface setting, the MTU request unknown', () => {
    const { section, calls } = ovsSection(true, true, false);
    expect(tableLines(section).slice(-OLD_INTERFACES.length)).toEqual(OLD_INTERFACES);
    expect(calls).toEqual(['-f csv -- list bridge -- list port -- list interface']);
    const links = parseOvsSection(section);
    expect(links.find((l) => l.name === 'eth1')?.ovsInterface).toEqual({ type: '', otherConfig: {}, options: {} });
    expect(links.find((l) => l.name === 'br0-100')).toMatchObject({ kind: 'ovs-fake-bridge' });
    expect(links.find((l) => l.name === 'eth1')?.ovsPort).toMatchObject({ trunks: [100, 200] });
  });
});
