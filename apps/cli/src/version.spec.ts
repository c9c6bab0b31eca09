import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './main';
import { hostnetVersion } from './version';

describe('hostnet --version', () => {
  const version = (JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as { version: string }).version;

  it.each(['--version', '-V', 'version'])('%s prints the package version and exits 0', async (flag) => {
    const out: string[] = [];
    expect(await runCli([flag], { stdout: (t) => out.push(t), stderr: (t) => out.push(t) })).toBe(0);
    expect(out.join('')).toBe(`hostnet ${version}\n`);
  });

  it('says unknown where no hostnet package.json is above it', () => {
    expect(hostnetVersion('/')).toBe('unknown');
  });
});
