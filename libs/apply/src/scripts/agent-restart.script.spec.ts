import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_RESTART_MARKER, AGENT_RESTART_SCRIPT } from './agent-restart.script';
import { compactScript } from './script-command';

/** The script in dash against a systemctl that logs its calls and answers is-active as told. */
function run(dir: string, agentActive: boolean, ...args: string[]) {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\necho "$*" >> "${dir}/calls"\n[ "$1" != is-active ] || exit ${agentActive ? 0 : 3}\n`);
  chmodSync(join(bin, 'systemctl'), 0o755);
  const res = spawnSync('dash', ['-c', compactScript(AGENT_RESTART_SCRIPT), 'hostnet-agent-restart', ...args], {
    env: { PATH: `${bin}:/usr/bin:/bin`, HOSTNET_ROOT: join(dir, 'root') },
    encoding: 'utf8',
  });
  let calls = '';
  try {
    calls = readFileSync(join(dir, 'calls'), 'utf8');
  } catch {
    // no call made
  }
  return { code: res.status, out: res.stdout.trim(), calls: calls.trim().split('\n').filter(Boolean) };
}

describe('the agent restart script', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hostnet-agent-restart-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a relabel step restarts the agent whether or not it runs, once per job', () => {
    expect(run(dir, false, 'job1')).toEqual({ code: 0, out: 'restarted', calls: ['restart cloudstack-agent'] });
    expect(readFileSync(join(dir, 'root', AGENT_RESTART_MARKER), 'utf8')).toBe('job1\n');
    expect(run(dir, false, 'job1', 'always')).toMatchObject({ code: 0, out: 'already' });
  });

  it('if-running restarts a running agent and leaves one that does not run alone', () => {
    expect(run(dir, true, 'job2', 'if-running')).toEqual({ code: 0, out: 'restarted', calls: ['is-active --quiet cloudstack-agent', 'restart cloudstack-agent'] });
    rmSync(join(dir, 'calls'));
    expect(run(dir, false, 'job3', 'if-running')).toEqual({ code: 0, out: 'not-running', calls: ['is-active --quiet cloudstack-agent'] });
  });

  it('refuses a request id that is not a word, before any call', () => {
    expect(run(dir, true, 'x;reboot', 'if-running')).toMatchObject({ code: 2, calls: [] });
  });
});
