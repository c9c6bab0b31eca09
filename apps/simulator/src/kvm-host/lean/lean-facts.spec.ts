import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandPath, leanFacts } from './lean-facts';
import { LeanHostDir } from './lean-host-dir';
import { LeanDecline } from './lean-live';

describe('leanFacts files section', () => {
  let root: string;
  let host: LeanHostDir;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lean-facts-'));
    host = new LeanHostDir(root);
    for (const name of ['link-d.json', 'addr.json', 'route.json']) {
      mkdirSync(join(root, '.sim/ip-cache'), { recursive: true });
      writeFileSync(join(root, '.sim/ip-cache', name), '[]\n');
    }
    mkdirSync(join(root, 'etc/network'), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const filesSection = (out: string) => out.split('\n@@hostnet:files\n')[1]!.split('\n@@hostnet:')[0]!;

  it('lists the globbed and the asked-for files with their own mode, and skips what is missing or a directory', () => {
    writeFileSync(join(root, 'etc/network/interfaces'), 'auto lo\n', { mode: 0o640 });
    chmodSync(join(root, 'etc/network/interfaces'), 0o640);
    mkdirSync(join(root, 'etc/network/interfaces.d/sub'), { recursive: true });
    writeFileSync(join(root, 'etc/hosts'), 'x\n');
    const files = filesSection(leanFacts(host, '/etc/hosts\n/etc/missing\n/etc/network/interfaces.d/sub\n', []));
    const listed = files.split('\n').filter((l) => / \//.test(l)).map((l) => l.split(' ').slice(2).join(' '));
    expect(listed).toEqual(['644 /etc/hosts', '640 /etc/network/interfaces']);
  });

  it('lists the netplan and NetworkManager files under /run and /lib by name, as the script does', () => {
    for (const dir of ['run/netplan', 'lib/netplan', 'run/NetworkManager/system-connections']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'run/netplan/eno1.yaml'), 'network: {}\n', { mode: 0o600 });
    writeFileSync(join(root, 'lib/netplan/00-vendor.yaml'), 'network: {}\n', { mode: 0o600 });
    writeFileSync(join(root, 'run/NetworkManager/system-connections/Wired connection 1.nmconnection'), '[connection]\n', { mode: 0o600 });
    const listed = filesSection(leanFacts(host, '', [])).split('\n').filter((l) => / \//.test(l)).map((l) => l.split(' ').slice(3).join(' '));
    expect(listed).toEqual(['/lib/netplan/00-vendor.yaml', '/run/NetworkManager/system-connections/Wired connection 1.nmconnection', '/run/netplan/eno1.yaml']);
  });

  it('declines a candidate that is a symbolic link, a dangling one too (the script lists links in a section of its own)', () => {
    symlinkSync('/nowhere', join(root, 'etc/dangling'));
    expect(() => leanFacts(host, '/etc/dangling\n', [])).toThrow(LeanDecline);
    rmSync(join(root, 'etc/dangling'));
    writeFileSync(join(root, 'etc/real'), 'x\n');
    symlinkSync(join(root, 'etc/real'), join(root, 'etc/network/interfaces'));
    expect(() => leanFacts(host, '', [])).toThrow(LeanDecline);
  });

  it('passes over a globbed link that leads nowhere, as [ -f ] does', () => {
    mkdirSync(join(root, 'etc/network/interfaces.d'), { recursive: true });
    symlinkSync('/nowhere', join(root, 'etc/network/interfaces.d/gone'));
    expect(filesSection(leanFacts(host, '', []))).not.toContain('gone');
  });
});

describe('commandPath', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lean-path-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // as if the directory last changed `ago` ms before (the kernel only ever moves it forward)
  const settle = (ago = 5000) => utimesSync(dir, new Date(Date.now() - ago), new Date(Date.now() - ago));

  it('finds an executable file, not a plain one, in PATH order', () => {
    writeFileSync(join(dir, 'ip'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(dir, 'plain'), 'x', { mode: 0o644 });
    settle();
    expect(commandPath(['/nonexistent', dir], 'ip')).toBe(join(dir, 'ip'));
    expect(commandPath([dir], 'plain')).toBeUndefined();
    expect(commandPath([dir], 'nmcli')).toBeUndefined();
  });

  it('sees a tool added to or removed from a directory it already looked in', () => {
    settle();
    expect(commandPath([dir], 'nmcli')).toBeUndefined();
    writeFileSync(join(dir, 'nmcli'), '#!/bin/sh\n', { mode: 0o755 });
    expect(commandPath([dir], 'nmcli')).toBe(join(dir, 'nmcli'));
    settle(4000);
    expect(commandPath([dir], 'nmcli')).toBe(join(dir, 'nmcli'));
    rmSync(join(dir, 'nmcli'));
    expect(commandPath([dir], 'nmcli')).toBeUndefined();
  });
});
