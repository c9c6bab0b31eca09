import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { EXAMPLES_DIR } from '../../../../libs/intent/test-support/reference-examples';
import { lintZoneFiles } from '../../../../libs/intent/test-support/lint-zones';
import { runCli } from '../main';
import { LINT_USAGE, lintCommand, type LintCommandDeps } from './lint.command';
import { parsePublicVlans } from './public-vlans.flag';

const REFERENCE = { topology: join(EXAMPLES_DIR, 'reference-topology.json'), profile: join(EXAMPLES_DIR, 'el7-linux-bridge.profile.yaml') };

async function lint(argv: string[], deps: LintCommandDeps = { env: {} }) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['lint', ...argv], { stdout: (t) => out.push(t), stderr: (t) => err.push(t) }, { lint: { run: lintCommand(deps), usage: LINT_USAGE } });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('hostnet lint', () => {
  it('exits 0 on the reference zone and says so', async () => {
    const result = await lint(['--topology', REFERENCE.topology, '--profile', REFERENCE.profile]);
    expect(result).toEqual({ code: 0, stdout: 'zone mylab: no findings\n', stderr: '' });
  });

  it('exits 2 and prints a table with where and the fix when a finding is an error', async () => {
    const files = lintZoneFiles('storage-range-too-small');
    const result = await lint(['--topology', files.topology, '--profile', files.profile]);
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SEVERITY +CODE +WHERE +MESSAGE$/);
    expect(lines[1]).toMatch(/^error +storage-range-too-small +zone mylab \/ pod pod1 +storage range 10\.0\.100\.100-10\.0\.100\.101 holds 2 addresses, .*; fix: widen/);
    expect(lines[2]).toBe('zone mylab: 1 error, 0 warnings');
  });

  it.each([
    // a bond member's own MTU: the kernel holds it at bond1's 1500, so it would be written and never run
    ['a bond member MTU other than its bond\'s', '    nics: { eth2: { mtu: 9000 } }\n', 'profiles.el7-linux-bridge.nics.eth2.mtu: 9000 (eth2) differs from the MTU 1500 of its bond bond1 (none set), but a bond\'s members run at the bond\'s MTU; fix: set the MTU on the bond'],
    // the storage VLAN above its parent: named by the profile field the operator edits, not intent.vlans[0].mtu
    ['a VLAN above its parent', '', 'profiles.el7-linux-bridge.extras[0].mtu: 9000 (bond0.100) exceeds the MTU of its parent bond0; fix:'],
  ])('exits 2 on %s, naming the profile field', async (_name, nics, expected) => {
    let profile = readFileSync(REFERENCE.profile, 'utf8').replace('    networks:\n', `${nics}    networks:\n`);
    if (!nics) profile = profile.replace('        address: storage ', '        mtu: 9000\n        address: storage ');
    const file = join(mkdtempSync(join(tmpdir(), 'hostnet-lint-')), 'profile.yaml');
    writeFileSync(file, profile);
    const result = await lint(['--topology', REFERENCE.topology, '--profile', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(expected);
    expect(result.stdout).not.toContain('intent.');
  });

  it('exits 0 on warnings only, still listing them', async () => {
    const files = lintZoneFiles('label-vlan-conflict');
    const result = await lint(['--topology', files.topology, '--profile', files.profile]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^warning +label-missing +zone mylab \/ physical network Physical Network 1 +Storage traffic has no KVM label/);
    expect(lines[2]).toMatch(/^warning +label-vlan-conflict +zone mylab \/ pod pod1 \/ physical network Physical Network 1 \/ host kvmhost1 +label cloudbr0 carries .*; fix: /);
    expect(lines[3]).toBe('zone mylab: 0 errors, 2 warnings');
  });

  it('--json prints the findings; --profile falls back to HOSTNET_PROFILES', async () => {
    const files = lintZoneFiles('label-missing');
    const result = await lint(['--topology', files.topology, '--json'], { env: { HOSTNET_PROFILES: files.profile } });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toEqual({ zone: 'mylab', errors: 0, warnings: 1, findings: [expect.objectContaining({ severity: 'warning', code: 'label-missing', where: { zone: 'mylab', physicalNetwork: 'Physical Network 1' } })] });
    expect(report.findings[0].hostIds).toEqual(['8a1ab1e4-0c4e-4d7a-9a4b-000000000301']);
  });

  it('reads the zone from CloudStack with --zone', async () => {
    const files = lintZoneFiles('duplicate-management-address');
    const topology = JSON.parse(readFileSync(files.topology, 'utf8')) as ZoneNetworkTopology;
    const asked: string[] = [];
    const fetchTopology = async (zone: string) => {
      asked.push(zone);
      return topology;
    };
    const result = await lint(['--zone', 'EU West ~ KVM (1)', '--profile', files.profile, '--json'], { env: {}, fetchTopology });
    expect(asked).toEqual(['EU West ~ KVM (1)']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['duplicate-management-address']);
  });

  it.each([
    [[], /give --zone ID\|NAME \(CloudStack\) or --topology FILE\.json/],
    [['--zone', 'z', '--topology', 't.json'], /--zone and --topology exclude each other/],
    [['--topology', 't.json'], /--profile FILE\.yaml is required \(or set HOSTNET_PROFILES\)/],
    [['--topology', 't.json', '--profile', 'p.yaml', '--public-vlans', '10-5'], /--public-vlans "10-5" ends before it starts; fix:/],
    [['--topology', 't.json', '--verbose'], /unknown option --verbose/],
    [['--zone', 'z', '--profile', REFERENCE.profile], /--zone needs CLOUDSTACK_URL, CLOUDSTACK_API_KEY, CLOUDSTACK_SECRET_KEY: set them in the environment, in .env in this directory, or in the file HOSTNET_ENV_FILE names/],
  ] as const)('exits 1 on usage errors, naming the flag (%j)', async (argv, message) => {
    const result = await lint([...argv]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
  });

  it('exits 1 when an input file is missing or invalid', async () => {
    expect((await lint(['--topology', '/nonexistent/topology.json', '--profile', REFERENCE.profile])).code).toBe(1);
    const bad = await lint(['--topology', REFERENCE.profile, '--profile', REFERENCE.profile]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hostnet lint: /);
  });

  it('parses public VLAN lists', () => {
    expect(parsePublicVlans('100-199, 300')).toEqual([100, 199, 300, 300]);
    expect(() => parsePublicVlans('5000')).toThrow(/--public-vlans "5000" .*fix: list VLAN ids/);
    expect(() => parsePublicVlans('100-5000')).toThrow(/^--public-vlans "100-5000" [^;]*outside 1-4094; fix: list VLAN ids and ranges like 100-199,300 \(1-4094\)$/);
  });
});
