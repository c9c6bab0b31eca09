import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFacts, stateAsScriptsRead } from './facts.parser';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

function factsOutput(extra = ''): string {
  return [
    '@@hostnet:facts 1',
    '',
    '@@hostnet:os-release',
    'NAME="Rocky Linux"',
    "VERSION_ID='9.4'",
    '# comment',
    'ID=rocky',
    '',
    '@@hostnet:tools',
    'ip /usr/sbin/ip',
    'nmcli /usr/bin/nmcli',
    '',
    '@@hostnet:flags',
    'now 1700000000',
    'network-scripts-dir 1',
    'nm-ovs-plugin 1',
    '',
    '@@hostnet:files',
    `${'a'.repeat(64)} 12 600 /etc/netplan/50-cloud-init.yaml`,
    '',
    '@@hostnet:content /etc/netplan/50-cloud-init.yaml',
    Buffer.from('network: {}\n').toString('base64'),
    '',
    '@@hostnet:ip-link',
    fixture('ip-link-bridge-veth.json'),
    '',
    '@@hostnet:ip-addr',
    fixture('ip-addr-bridge-veth.json'),
    '',
    '@@hostnet:ip-route',
    fixture('ip-route-bridge-veth.json'),
    '',
    '@@hostnet:state',
    '{"runId":"r-1","specHash":"abc","phase":"armed","deadline":"1700000090","appliedSpecHash":"old","updatedAt":"1700000000"}',
    extra,
    '',
    '@@hostnet:end',
    '',
  ].join('\n');
}

describe('parseFacts', () => {
  it('reads os-release, tools, flags, file hashes/contents, live state and the run state', () => {
    const facts = parseFacts(factsOutput());
    expect(facts.osRelease).toEqual({ NAME: 'Rocky Linux', VERSION_ID: '9.4', ID: 'rocky' });
    expect(facts.tools).toEqual({ ip: '/usr/sbin/ip', nmcli: '/usr/bin/nmcli' });
    expect(facts).toMatchObject({ networkScriptsDir: true, ifupdown2: false, systemdPid1: false, nmOvsPlugin: true, hostNow: 1700000000, ovsPresent: false });
    expect(facts.files.get('/etc/netplan/50-cloud-init.yaml')).toEqual({
      path: '/etc/netplan/50-cloud-init.yaml',
      sha256: 'a'.repeat(64),
      size: 12,
      mode: 0o600,
      content: 'network: {}\n',
    });
    expect(facts.live.links.map((l) => l.name)).toEqual(['br0', 'eth1', 'eth0']);
    expect(facts.runState).toEqual({ runId: 'r-1', specHash: 'abc', phase: 'armed', deadline: 1700000090, appliedSpecHash: 'old', updatedAt: 1700000000 });
  });

  it("keeps a NetworkManager keyfile name with spaces whole, with its content", () => {
    const path = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';
    const output = factsOutput().replace(
      '@@hostnet:ip-link',
      `@@hostnet:content ${path}\n${Buffer.from('[connection]\nid=Wired connection 1\n').toString('base64')}\n\n@@hostnet:ip-link`,
    );
    const facts = parseFacts(output.replace('/etc/netplan/50-cloud-init.yaml\n', `/etc/netplan/50-cloud-init.yaml\n${'b'.repeat(64)} 37 600 ${path}\n`));
    expect(facts.files.get(path)).toEqual({ path, sha256: 'b'.repeat(64), size: 37, mode: 0o600, content: '[connection]\nid=Wired connection 1\n' });
    expect([...facts.files.keys()]).toEqual(['/etc/netplan/50-cloud-init.yaml', path]);
  });

  it('decodes a name the host sent hex-encoded (one valid_path refuses), with its content', () => {
    const path = '/etc/NetworkManager/system-connections/Wired\nconnection 1 ';
    const hex = `hex:${Buffer.from(path).toString('hex')}`;
    const output = factsOutput().replace('@@hostnet:ip-link', `@@hostnet:content ${hex}\n${Buffer.from('x=1\n').toString('base64')}\n\n@@hostnet:ip-link`);
    const facts = parseFacts(output.replace('/etc/netplan/50-cloud-init.yaml\n', `/etc/netplan/50-cloud-init.yaml\n${'b'.repeat(64)} 4 644 ${hex}\n`));
    expect(facts.files.get(path)).toEqual({ path, sha256: 'b'.repeat(64), size: 4, mode: 0o644, content: 'x=1\n' });
  });

  describe('the contents stream (every small file in one piece, in list order)', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const a = 'DEVICE=eth0\nONBOOT=yes\n';
    const b = '# ünïcode\n';
    const odd = 'x=1\n';
    const withFiles = (listed: string[], stream: string) =>
      factsOutput().replace(
        /@@hostnet:files\n[\s\S]*?@@hostnet:ip-link/,
        `@@hostnet:files\n${listed.join('\n')}\n\n@@hostnet:contents\n${Buffer.from(stream).toString('base64')}\n\n@@hostnet:content hex:${Buffer.from('/etc/odd\t').toString('hex')}\n${Buffer.from(odd).toString('base64')}\n\n@@hostnet:ip-link`,
      );
    const lines = [
      `${sha(a)} ${Buffer.byteLength(a)} 644 /etc/sysconfig/network-scripts/ifcfg-eth0`,
      `${sha(odd)} 4 644 hex:${Buffer.from('/etc/odd\t').toString('hex')}`,
      `${'c'.repeat(64)} 70000 644 /etc/big.yaml`,
      `${sha(b)} ${Buffer.byteLength(b)} 600 /etc/netplan/b.yaml`,
    ];

    it('cuts it by the listed byte sizes, skipping hex-named and large files, whose content comes apart', () => {
      const files = parseFacts(withFiles(lines, a + b)).files;
      expect(files.get('/etc/sysconfig/network-scripts/ifcfg-eth0')?.content).toBe(a);
      expect(files.get('/etc/netplan/b.yaml')?.content).toBe(b);
      expect(files.get('/etc/odd\t')?.content).toBe(odd);
      expect(files.get('/etc/big.yaml')?.content).toBeUndefined();
    });

    it('refuses a piece that does not hash as listed (the file changed after the listing), naming the file', () => {
      expect(() => parseFacts(withFiles(lines, a.replace('yes', 'no!') + b))).toThrow(/ifcfg-eth0 changed while the host read it/);
    });

    it('refuses a stream shorter or longer than the files listed', () => {
      expect(() => parseFacts(withFiles(lines, a))).toThrow(/b\.yaml changed while the host read it/);
      expect(() => parseFacts(withFiles(lines, a + b + 'extra'))).toThrow(/longer than the files listed/);
    });
  });

  it('refuses output cut short, naming the missing end marker', () => {
    expect(() => parseFacts(factsOutput().replace('@@hostnet:end', ''))).toThrow(/no end marker/);
  });

  it('names the section when a JSON section is garbage', () => {
    expect(() => parseFacts(factsOutput().replace('@@hostnet:ip-route', '@@hostnet:ip-route\nnot json'))).toThrow(/section "ip-route" is not valid JSON/);
  });

  it("reads state.json's run and phase as the scripts' state_value does, whether or not it parses", () => {
    expect(stateAsScriptsRead(undefined)).toBeNull();
    expect(stateAsScriptsRead('')).toBeNull();
    expect(stateAsScriptsRead('{"runId":"job-1-x","specHash":"s","phase":"applied","deadline":"0"}\n')).toEqual({ runId: 'job-1-x', phase: 'applied' });
    // cut short, or a phase the parser does not know: still what the scripts compare with
    expect(stateAsScriptsRead('{"runId":"job-1-x","phase":"half')).toEqual({ runId: 'job-1-x', phase: 'half' });
    expect(stateAsScriptsRead('{}\n')).toEqual({ runId: '-', phase: '-' });
    // only the first line, the last occurrence of a name
    expect(stateAsScriptsRead('{"runId":"a","runId":"b","phase":"armed"}\n{"runId":"c"}')).toEqual({ runId: 'b', phase: 'armed' });
  });
});
