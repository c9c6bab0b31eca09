import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ifcfgSuffix } from './ifcfg-path';

describe('ifcfgSuffix: the one rule for which paths are network-scripts interface files', () => {
  it("names what follows ifcfg- in /etc/sysconfig/network-scripts, and nothing for another directory, a route file or a subdirectory's file", () => {
    expect(ifcfgSuffix('/etc/sysconfig/network-scripts/ifcfg-bond0')).toBe('bond0');
    expect(ifcfgSuffix('/etc/sysconfig/network-scripts/ifcfg-System_eth0')).toBe('System_eth0');
    expect(ifcfgSuffix('/etc/sysconfig/network-scripts/route-bond0')).toBeUndefined();
    expect(ifcfgSuffix('/etc/sysconfig/network-scripts/old/ifcfg-eth0')).toBeUndefined();
    expect(ifcfgSuffix('/etc/sysconfig/ifcfg-eth0')).toBeUndefined();
  });
});

describe('ifcfgSuffix is the only home of that rule', () => {
  it('no other file of libs/render writes its own ifcfg path pattern (the restore and the foreign-config check once each had one)', () => {
    const root = join(__dirname, '..');
    const sources = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'));
    const patterns = sources.filter((f) => /network-scripts\\\/ifcfg-/.test(readFileSync(join(root, f), 'utf8')));
    expect(patterns).toEqual([join('format', 'ifcfg-path.ts')]);
  });
});
