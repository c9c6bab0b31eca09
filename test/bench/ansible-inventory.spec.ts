import type { RenderedConfig } from '@hostnet/render';
import { parse } from 'yaml';
import type { LabInventory } from '../lab/lab';
import { ansibleConfig, ansibleInventoryYaml, noopViolations, parsePlayRecap } from './ansible-inventory';

const RECAP = `
PLAY RECAP *********************************************************************
hbh01                      : ok=1    changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
hbh02                      : ok=2    changed=1    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
hbh03                      : ok=0    changed=0    unreachable=1    failed=0    skipped=0    rescued=0    ignored=0

Thursday 03 December 2026  16:45:18 +0000 (0:00:01.459)       0:00:08.334 *****
`;

describe('ansibleConfig', () => {
  it('sets what an operator tuning for speed would: forks = hosts, strategy free, no facts, pipelining, ControlPersist', () => {
    const cfg = ansibleConfig({ forks: 20, tempDir: '/tmp/x', strategy: 'free' });
    expect(cfg).toContain('forks = 20\n');
    expect(cfg).toContain('strategy = free\n');
    expect(cfg).toContain('gathering = explicit\n');
    expect(cfg).toContain('pipelining = True\n');
    expect(cfg).toMatch(/ssh_args = .*-o ControlMaster=auto -o ControlPersist=(\d+)s/);
    expect(Number(/ControlPersist=(\d+)s/.exec(cfg)![1])).toBeGreaterThanOrEqual(60);
    expect(cfg).toContain('control_path_dir = /tmp/x/cp\n');
    expect(cfg).toContain('local_tmp = /tmp/x/local\n');
    expect(cfg).not.toContain('strategy_plugins');
  });

  it('points at Mitogen\'s strategy plugins for mitogen_free, and refuses it without them', () => {
    const cfg = ansibleConfig({ forks: 4, tempDir: '/t', strategy: 'mitogen_free', mitogenStrategyDir: '/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy' });
    expect(cfg).toContain('strategy = mitogen_free\n');
    expect(cfg).toContain('strategy_plugins = /usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy\n');
    expect(() => ansibleConfig({ forks: 4, tempDir: '/t', strategy: 'mitogen_free' })).toThrow(/mitogenStrategyDir/);
  });

  it('refuses a fork count that is not a whole number from 1', () => {
    expect(() => ansibleConfig({ forks: 0, tempDir: '/t', strategy: 'free' })).toThrow(/forks/);
    expect(() => ansibleConfig({ forks: 2.5, tempDir: '/t', strategy: 'free' })).toThrow(/forks/);
  });
});

describe('parsePlayRecap', () => {
  it('reads every host line of the last PLAY RECAP', () => {
    expect(parsePlayRecap(`noise\n${RECAP}`)).toEqual([
      { host: 'hbh01', counts: { ok: 1, changed: 0, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 } },
      { host: 'hbh02', counts: { ok: 2, changed: 1, unreachable: 0, failed: 0, skipped: 1, rescued: 0, ignored: 0 } },
      { host: 'hbh03', counts: { ok: 0, changed: 0, unreachable: 1, failed: 0, skipped: 0, rescued: 0, ignored: 0 } },
    ]);
  });

  it('is empty when there is no recap', () => {
    expect(parsePlayRecap('ERROR! the playbook could not be found')).toEqual([]);
  });
});

describe('noopViolations', () => {
  it('names hosts that changed something, could not be reached, or are missing from the recap', () => {
    expect(noopViolations(parsePlayRecap(RECAP), ['hbh01', 'hbh02', 'hbh03', 'hbh04'])).toEqual([
      'hbh02: changed=1',
      'hbh03: unreachable=1',
      'hbh04: not in PLAY RECAP',
    ]);
  });

  it('is empty for a real no-op', () => {
    expect(noopViolations(parsePlayRecap(RECAP), ['hbh01'])).toEqual([]);
  });
});

describe('ansibleInventoryYaml', () => {
  const inventory = {
    knownHostsPath: '/s/client/known_hosts',
    clientKeyPath: '/s/client/id_ed25519',
    hosts: [{ name: 'hbh01', managementIp: '10.255.0.11', sshPort: 22, sshUser: 'root' }],
  } as unknown as LabInventory;
  const config = (content: string, argv: string[]) =>
    ({ target: 'el-network-scripts-ovs', files: [{ path: '/etc/x', content, mode: 0o644 }], removes: ['/etc/y'], steps: [{ argv }] }) as unknown as RenderedConfig;

  it('carries the rendered files, removals and the ordered steps as host variables', () => {
    const doc = parse(ansibleInventoryYaml(inventory, { hbh01: config('A=1\n', ['service', 'network', 'restart']) }));
    const host = doc.lab.hosts.hbh01;
    expect(host).toMatchObject({ ansible_host: '10.255.0.11', hostnet_removes: ['/etc/y'], hostnet_files: [{ path: '/etc/x', content: 'A=1\n', mode: '0644' }] });
    expect(host.hostnet_apply_script).toBe('service network restart');
    expect(host.ansible_ssh_common_args).toContain('StrictHostKeyChecking=yes');
  });

  it('refuses content Ansible would template', () => {
    expect(() => ansibleInventoryYaml(inventory, { hbh01: config('{{ x }}', ['true']) })).toThrow(/Jinja2/);
  });
});
