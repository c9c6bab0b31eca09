import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { utils } from 'ssh2';
import { SimulatedKvmHost } from './simulated-kvm-host';

/** The queries the facts and apply scripts make (libs/apply/src/scripts), as they send them. */
const QUERIES = [
  ['list-br'],
  ['br-to-parent', 'cloudbr0'],
  ['br-to-parent', 'cloudbr100'],
  ['br-to-vlan', 'cloudbr100'],
  ['list-ports', 'cloudbr0'],
  ['list-ports', 'cloudbr100'],
  ['-f', 'csv', 'list', 'bridge'],
  ['-f', 'csv', 'list', 'port'],
  ['-f', 'csv', 'list', 'interface'],
  ['--columns=name,mtu_request', '--format=csv', '--no-headings', 'list', 'interface'],
  ['list-ports', 'nope'],
  // as the scripts' vs() sends them: ovs-vsctl's own timeout first, and print_ovs_bridges' chains
  ['--timeout=15', 'list-br'],
  ['--timeout=15', '--', 'br-to-parent', 'cloudbr0', '--', 'br-to-vlan', 'cloudbr0', '--', 'br-to-parent', 'cloudbr100', '--', 'br-to-vlan', 'cloudbr100'],
  ['--timeout=15', '--', 'br-to-parent', 'cloudbr0', '--', 'br-to-vlan', 'cloudbr0', '--', 'list-ports', 'cloudbr0', '--', 'br-to-parent', 'cloudbr100', '--', 'br-to-vlan', 'cloudbr100', '--', 'list-ports', 'cloudbr100'],
  ['--timeout=15', '--', 'br-to-parent', 'cloudbr0', '--', 'br-to-vlan', 'nope'],
  // print_ovs_tables: the three whole tables in one call, with their headings, a blank line before each after the first
  ['--timeout=15', '-f', 'csv', '--', 'list', 'bridge', '--', 'list', 'port', '--', 'list', 'interface'],
];

describe('ovs-vsctl wrapper (answers from .sim/ovs-cache)', () => {
  let host: SimulatedKvmHost;
  const env = () => ({ HOSTNET_ROOT: host.rootDir, PATH: `${join(host.rootDir, '.sim', 'bin')}:/usr/bin:/bin` });
  const wrapper = (args: string[]) => spawnSync(join(host.rootDir, '.sim', 'bin', 'ovs-vsctl'), args, { env: env(), encoding: 'utf8' });
  const node = (args: string[]) => spawnSync(process.execPath, [join(host.rootDir, '.sim', 'lib', 'ovs-vsctl.js'), ...args], { env: env(), encoding: 'utf8' });
  const answer = (r: ReturnType<typeof wrapper>) => ({ status: r.status, stdout: r.stdout, stderr: r.stderr });
  const cached = (name: string) => existsSync(join(host.rootDir, '.sim', 'ovs-cache', name));

  beforeAll(async () => {
    const key = utils.generateKeyPairSync('ed25519');
    host = await SimulatedKvmHost.start({ name: 'kvm-ovs-cache', persona: 'debian12', authorizedKeys: [key.public], extraTools: ['ovs-vsctl', 'ovs-appctl'] });
    const setup = node(['--may-exist', 'add-br', 'cloudbr0', '--', '--may-exist', 'add-bond', 'cloudbr0', 'bond0', 'eth2', 'eth3', 'bond_mode=active-backup']);
    expect(setup.status).toBe(0);
    expect(node(['--may-exist', 'add-br', 'cloudbr100', 'cloudbr0', '100']).status).toBe(0);
  });

  afterAll(() => host?.stop());

  it('answers every query the on-host scripts make exactly as the node stand-in does', () => {
    for (const args of QUERIES) expect([args.join(' '), answer(wrapper(args))]).toEqual([args.join(' '), answer(node(args))]);
    expect(cached('list-ports.cloudbr0') && cached('br-to-vlan.cloudbr100') && cached('list.interface') && cached('rows.tables')).toBe(true);
    const tables = wrapper(QUERIES[QUERIES.length - 1]!).stdout.split('\n\n');
    expect(tables.map((t) => t.split('\n')[0])).toEqual(['name', 'name,interfaces', '_uuid,name']);
    // a fake bridge has no Bridge row
    expect(tables[0]).toBe('name\ncloudbr0');
    expect(wrapper(['--columns=name,mtu_request', '--format=csv', '--no-headings', 'list', 'interface']).stdout).not.toContain('_uuid,name');
    expect(wrapper(['list-ports', 'cloudbr0']).stdout).toBe('bond0\n');
  });

  it('drops the answers of a bridge that is gone, so node says it does not exist', () => {
    expect(node(['del-br', 'cloudbr100']).status).toBe(0);
    expect(cached('br-to-vlan.cloudbr100')).toBe(false);
    expect(answer(wrapper(['br-to-vlan', 'cloudbr100']))).toEqual({ status: 1, stdout: '', stderr: 'ovs-vsctl: no bridge named cloudbr100\n' });
    expect(wrapper(['list-br']).stdout).toBe('cloudbr0\n');
  });

  it('leaves every call to node while a failCommand fault is armed, so the fault still fires', () => {
    host.faults.failCommand = 'ovs-vsctl list-br';
    expect(wrapper(['list-br'])).toMatchObject({ status: 1, stderr: expect.stringContaining('set to fail by the failCommand fault') });
    expect(wrapper(['list-br'])).toMatchObject({ status: 0, stdout: 'cloudbr0\n' });
  });
});
