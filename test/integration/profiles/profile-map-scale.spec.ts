import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuiltApps } from '../../support/worker-process';

const PARSE_BENCH = join(__dirname, '..', '..', '..', 'dist', 'test', 'bench', 'profile-parse.main.js');

describe('a 40k-host profile map', () => {
  it('parses and validates in under a second of CPU, in a plain node process like the apps', () => {
    // Outside jest (its module sandbox slows regular expressions several times), and CPU time rather
    // than wall time: the shared test machine may run other suites on the same cores.
    ensureBuiltApps();
    const run = spawnSync(process.execPath, [PARSE_BENCH, '40000'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as { bytes: number; hosts: number; cpuMs: number; wallMs: number; fastPath: boolean };
    process.stdout.write(`40k-host profile map (${(result.bytes / 1024 / 1024).toFixed(1)} MiB): ${result.cpuMs.toFixed(0)} ms CPU, ${result.wallMs.toFixed(0)} ms wall\n`);
    expect(result).toMatchObject({ hosts: 40_000, fastPath: true });
    expect(result.cpuMs).toBeLessThan(1_000);
  }, 90_000);
});
