import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APPLY_PAYLOAD_SNIPPET } from './apply-payload.snippet';
import { COMMON_SNIPPET } from './common.snippet';

const TOOLS = ['cat', 'sed', 'rm', 'date'];

/** `ip -o link show` as iproute2 prints it: a bridge, its uplink, a veth end and a VLAN on eth1. */
const IP_LINKS = [
  '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
  '2: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc fq_codel master br0 state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff',
  '3: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:02 brd ff:ff:ff:ff:ff:ff',
  '4: ethl-br9@lnk-br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:03 brd ff:ff:ff:ff:ff:ff',
  '5: eth1.100@eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff',
];

/** The port and interface rows a restore compares a port it adds back with (ovs_port_rows). */
const ROWS =
  '--format=csv --no-headings --columns=name,tag,trunks,vlan_mode,qos,mac,bond_mode,lacp,bond_updelay,bond_downdelay,bond_fake_iface,other_config,external_ids list port ' +
  '-- --columns=name,type,options,ingress_policing_rate,ingress_policing_burst,mac,ofport_request,other_config,external_ids list interface';

const CHAIN = ['br0', 'br0-100', 'cloud0'].map((b) => `-- br-to-parent ${b} -- br-to-vlan ${b} -- list-ports ${b}`).join(' ');

/**
 * An ovs-vsctl with bridge br0 (ports eth1 and vnet0, a VM's tap), its fake bridge br0-100 (no port) and cloud0
 * (port vnet1) that logs its calls; the chain fails when `chained` is false, and answers in an unexpected
 * shape (a port before any bridge) when it is 'garbled'.
 */
function fakeOvsVsctl(log: string, chained: boolean | 'garbled', cloud0Ports = 'echo vnet1', cloud0Exists = true): string {
  const chain = chained === 'garbled' ? `printf 'eth1\\nbr0\\n'` : chained ? `printf 'br0\\n0\\neth1\\nvnet0\\nbr0\\n100\\ncloud0\\n0\\nvnet1\\n'` : 'exit 1';
  return `#!/bin/sh
shift
echo "$*" >> '${log}'
case "$*" in
  list-br) printf 'br0\\nbr0-100\\ncloud0\\n' ;;
  '${CHAIN}') ${chain} ;;
  'list-ports br0') printf 'eth1\\nvnet0\\n' ;;
  'list-ports br0-100') ;;
  'list-ports cloud0') ${cloud0Ports} ;;
  'br-exists cloud0') exit ${cloud0Exists ? 0 : 2} ;;
  '--columns=name,mtu_request --format=csv --no-headings list interface') echo 'eth1,9000' ;;
  '${ROWS}') printf 'eth1,5,[],[],[],[],[],[],0,0,[],{},{}\\n\\neth1,system,{},[],[],[],[],{},{}\\n' ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`;
}

describe('apply: snapshot_live records what exists before the run in few processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-snapshot-live-'));
  const bin = join(dir, 'bin');

  beforeAll(() => {
    mkdirSync(bin);
    for (const tool of TOOLS) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    writeFileSync(join(bin, 'ip'), `#!/bin/sh\n[ "$*" = '-o link show' ] || exit 1\necho "ip $*" >> '${join(dir, 'ip.log')}'\nprintf '%s\\n' ${IP_LINKS.map((l) => `'${l}'`).join(' ')}\n`);
    chmodSync(join(bin, 'ip'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const snapshot = (chained: boolean | 'garbled') => {
    const run = mkdtempSync(join(dir, 'run-'));
    const log = join(run, 'calls.log');
    const fake = join(run, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'ovs-vsctl'), fakeOvsVsctl(log, chained));
    chmodSync(join(fake, 'ovs-vsctl'), 0o755);
    rmSync(join(dir, 'ip.log'), { force: true });
    const script = `${COMMON_SNIPPET}${APPLY_PAYLOAD_SNIPPET}\nR=''\nRUN='${run}'\nsnapshot_live\n`;
    const r = spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${fake}:${bin}` }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const read = (f: string) => readFileSync(join(run, f), 'utf8');
    return { read, calls: read('calls.log').trim().split('\n'), ipCalls: readFileSync(join(dir, 'ip.log'), 'utf8').trim().split('\n') };
  };
  const PORTS = 'br0 eth1\nbr0 vnet0\ncloud0 vnet1\n';

  it("reads every bridge's ports in one chained call after list-br", () => {
    const { read, calls } = snapshot(true);
    expect(read('ovs-bridges')).toBe('br0\nbr0-100\ncloud0\n');
    expect(read('ovs-ports')).toBe(PORTS);
    expect(calls).toEqual([
      'list-br',
      CHAIN,
      '--columns=name,mtu_request --format=csv --no-headings list interface',
      ROWS,
    ]);
    expect(read('ovs-port-rows')).toBe('port eth1,5,[],[],[],[],[],[],0,0,[],{},{}\ninterface eth1,system,{},[],[],[],[],{},{}\n');
  });

  it.each([
    ['fails', false],
    ['answers in another shape', 'garbled'],
  ] as const)('asks bridge by bridge, with the same lines, when the chain %s', (_, chained) => {
    const { read, calls } = snapshot(chained);
    expect(read('ovs-ports')).toBe(PORTS);
    expect(calls.filter((c) => c.startsWith('list-ports '))).toEqual(['list-ports br0', 'list-ports br0-100', 'list-ports cloud0']);
  });

  /** snapshot_live's exit status with ovs-vsctl's chain failing and cloud0's ports unreadable, or `ip` failing. */
  const failingStatus = (what: 'list-ports' | 'ip' | 'gone') => {
    const run = mkdtempSync(join(dir, 'run-'));
    const fake = join(run, 'fake');
    mkdirSync(fake);
    writeFileSync(join(fake, 'ovs-vsctl'), fakeOvsVsctl(join(run, 'calls.log'), false, what === 'ip' ? 'echo vnet1' : 'exit 1', what !== 'gone'));
    if (what === 'ip') writeFileSync(join(fake, 'ip'), '#!/bin/sh\nexit 1\n');
    for (const f of ['ovs-vsctl', ...(what === 'ip' ? ['ip'] : [])]) chmodSync(join(fake, f), 0o755);
    const script = `${COMMON_SNIPPET}${APPLY_PAYLOAD_SNIPPET}\nR=''\nRUN='${run}'\nsnapshot_live\necho "status $?"\n`;
    return spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${fake}:${bin}` }, encoding: 'utf8' }).stdout.trim();
  };

  it.each(['list-ports', 'ip'] as const)('fails when %s cannot be read: a port or link missing from the lists would look like the run\'s own to a restore', (what) => {
    expect(failingStatus(what)).toBe('status 1');
  });

  it('goes on without a bridge that went away since list-br (br-exists answers 2): it has no ports to keep', () => {
    expect(failingStatus('gone')).toBe('status 0');
  });

  it('reads the links once for both the names and the MTUs', () => {
    const { read, ipCalls } = snapshot(true);
    expect(ipCalls).toEqual(['ip -o link show']);
    expect(read('links')).toBe('lo\neth1\nbr0\nethl-br9\neth1.100\n');
    expect(read('link-mtus')).toBe('lo 65536\neth1 9000\nbr0 1500\nethl-br9 1500\neth1.100 9000\n');
  });
});

/**
 * ovs-vsctl installed, its database not answering (OVS not started): the snapshot reads the database file ovsdb-server
 * would open (OVS_DBDIR here, as ovsdb-tool follows it), with the real ovsdb-tool, so a restore knows which bridges
 * were there before the run once an activation has started OVS.
 */
describe('apply: snapshot_live reads the OVS database file when ovsdb-server is down', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-snapshot-offline-'));
  const bin = join(dir, 'bin');
  const ovsdbTool = spawnSync('sh', ['-c', 'command -v ovsdb-tool'], { encoding: 'utf8' }).stdout.trim();

  beforeAll(() => {
    mkdirSync(bin);
    for (const tool of [...TOOLS, 'tr', 'mkdir', 'sleep']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    symlinkSync(ovsdbTool, join(bin, 'ovsdb-tool'));
    writeFileSync(join(bin, 'ip'), `#!/bin/sh\nexit 0\n`, { mode: 0o755 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A database file holding br0 (eth1 at MTU 9000, vnet0, and vnet3 on its fake bridge br0-100) and cloud0 (vnet1). */
  const writeDb = (dbDir: string) => {
    mkdirSync(dbDir, { recursive: true });
    const db = join(dbDir, 'conf.db');
    spawnSync(ovsdbTool, ['create', db, '/usr/share/openvswitch/vswitch.ovsschema']);
    const port = (name: string, extra: Record<string, unknown> = {}) => [
      { op: 'insert', table: 'Interface', row: { name, ...(name === 'eth1' ? { mtu_request: 9000 } : {}) }, 'uuid-name': `i_${name.replace(/-/g, '_')}` },
      { op: 'insert', table: 'Port', row: { name, interfaces: ['named-uuid', `i_${name.replace(/-/g, '_')}`], ...extra }, 'uuid-name': `p_${name.replace(/-/g, '_')}` },
    ];
    const ports = (...names: string[]) => ['set', names.map((n) => ['named-uuid', `p_${n.replace(/-/g, '_')}`])];
    const txn = [
      'Open_vSwitch',
      ...['br0', 'eth1', 'vnet0', 'cloud0', 'vnet1'].flatMap((n) => port(n)),
      ...port('br0-100', { fake_bridge: true, tag: 100 }),
      ...port('vnet3', { tag: 100 }),
      { op: 'insert', table: 'Bridge', row: { name: 'br0', ports: ports('br0', 'eth1', 'vnet0', 'br0-100', 'vnet3') }, 'uuid-name': 'b_br0' },
      { op: 'insert', table: 'Bridge', row: { name: 'cloud0', ports: ports('cloud0', 'vnet1') }, 'uuid-name': 'b_cloud0' },
      { op: 'insert', table: 'Open_vSwitch', row: { bridges: ['set', [['named-uuid', 'b_br0'], ['named-uuid', 'b_cloud0']]] } },
    ];
    const r = spawnSync(ovsdbTool, ['transact', db, JSON.stringify(txn)], { encoding: 'utf8' });
    expect(r.stdout).not.toContain('error');
  };

  /** snapshot_live on a host whose ovs-vsctl cannot reach its database; its run directory and exit status. */
  const snapshot = (setup: (host: string) => void = () => undefined) => {
    const host = mkdtempSync(join(dir, 'host-'));
    const run = join(host, 'run');
    const fake = join(host, 'fake');
    mkdirSync(run);
    mkdirSync(fake);
    writeFileSync(
      join(fake, 'ovs-vsctl'),
      `#!/bin/sh\nshift\ncase "$*" in\n  --help) printf '  --db=DATABASE  connect to DATABASE\\n                              (default: unix:${host}/rundir/db.sock)\\n' ;;\n  *) echo 'ovs-vsctl: unix:${host}/rundir/db.sock: database connection failed (No such file or directory)' >&2; exit 1 ;;\nesac\n`,
      { mode: 0o755 },
    );
    setup(host);
    const script = `${COMMON_SNIPPET}${APPLY_PAYLOAD_SNIPPET}\nR=''\nRUN='${run}'\nsnapshot_live\necho "status $? \${SL_WHY-}"\n`;
    const r = spawnSync('/bin/sh', ['-c', script], { env: { PATH: `${fake}:${bin}`, OVS_DBDIR: join(host, 'dbdir') }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const has = (f: string) => spawnSync('test', ['-f', join(run, f)]).status === 0;
    const read = (f: string) => readFileSync(join(run, f), 'utf8');
    return { status: r.stdout.trim(), has, read, host };
  };

  it('writes the bridges, ports and MTU requests the database file holds, and that OVS was down', () => {
    const { status, has, read } = snapshot((host) => writeDb(join(host, 'dbdir')));
    expect(status).toBe('status 0');
    expect(read('ovs-bridges').trim().split('\n').sort()).toEqual(['br0', 'br0-100', 'cloud0']);
    // every line list-ports would print (vnet3 under the fake bridge whose VLAN it has), and no bridge's own port
    const ports = read('ovs-ports').trim().split('\n');
    expect(ports).toEqual(expect.arrayContaining(['br0 eth1', 'br0 vnet0', 'br0-100 vnet3', 'cloud0 vnet1']));
    expect(ports).not.toEqual(expect.arrayContaining(['br0 br0']));
    expect(read('ovs-mtu-requests').trim().split('\n')).toEqual(expect.arrayContaining(['eth1,9000', 'vnet1,[]']));
    expect(has('ovs-down')).toBe(true);
  });

  it('reads the bridges of an OVS before 2.6 (no mtu_request column), and no MTU requests, as the live read', () => {
    const { status, has, read } = snapshot((host) => {
      writeDb(join(host, 'dbdir'));
      writeFileSync(
        join(host, 'fake', 'ovsdb-tool'),
        `#!/bin/sh\ncase "$*" in *mtu_request*) echo '[{"details":"No column mtu_request in table Interface.","error":"syntax error"}]'; exit 0 ;; esac\nexec '${ovsdbTool}' "$@"\n`,
        { mode: 0o755 },
      );
    });
    expect(status).toBe('status 0');
    expect(read('ovs-bridges').trim().split('\n').sort()).toEqual(['br0', 'br0-100', 'cloud0']);
    expect(has('ovs-mtu-requests')).toBe(false);
  });

  it('takes no database file for no bridges, a valid empty snapshot', () => {
    const { status, has, read } = snapshot();
    expect(status).toBe('status 0');
    expect([read('ovs-bridges'), read('ovs-ports')]).toEqual(['', '']);
    expect(has('ovs-down')).toBe(true);
  });

  it('fails, before the run is armed, when the database file is there and cannot be read', () => {
    const { status } = snapshot((host) => {
      mkdirSync(join(host, 'dbdir'));
      writeFileSync(join(host, 'dbdir', 'conf.db'), 'not a database\n');
    });
    expect(status).toBe('status 1 : the OVS database file cannot be read');
  });

  it('fails when an ovsdb-server runs and does not answer: it may serve another file than the one read here', () => {
    const sleeper = join(dir, 'ovsdb-server');
    spawnSync('cp', [spawnSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).stdout.trim(), sleeper]);
    const server = spawn(sleeper, ['30'], { stdio: 'ignore' });
    try {
      const { status } = snapshot((host) => {
        writeDb(join(host, 'dbdir'));
        mkdirSync(join(host, 'rundir'));
        writeFileSync(join(host, 'rundir', 'ovsdb-server.pid'), `${server.pid}\n`);
      });
      expect(status).toBe('status 1 : ovsdb-server runs or its socket is there, and it does not answer');
    } finally {
      server.kill();
    }
  });

  it('fails when the database socket is there and does not answer (a server that crashed left it)', async () => {
    const host = mkdtempSync(join(dir, 'sock-'));
    mkdirSync(join(host, 'rundir'));
    const listener = createServer();
    await new Promise<void>((resolve) => listener.listen(join(host, 'rundir', 'db.sock'), resolve));
    try {
      const { status } = snapshot((h) => {
        writeDb(join(h, 'dbdir'));
        symlinkSync(join(host, 'rundir'), join(h, 'rundir'));
      });
      expect(status).toBe('status 1 : ovsdb-server runs or its socket is there, and it does not answer');
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
