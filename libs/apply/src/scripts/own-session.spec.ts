import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMON_SNIPPET } from './common.snippet';
import { IN_OWN_SESSION_SNIPPET } from './recover.snippet';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('in_own_session: a restore outlives the SSH command that ran it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-own-session-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs `command` as an SSH exec would (its own process group), kills that group as a timed-out exec is killed, and says whether the work finished. */
  const killedMidway = async (command: string): Promise<boolean> => {
    const done = join(dir, `done-${Math.random().toString(36).slice(2)}`);
    const script = `${COMMON_SNIPPET}${IN_OWN_SESSION_SNIPPET}\n${command.replace('WORK', `sh -c 'sleep 1; echo finished > ${done}'`)}\n`;
    const shell = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
    await sleep(300);
    process.kill(-shell.pid!, 'SIGKILL');
    await sleep(1500);
    return existsSync(done) && readFileSync(done, 'utf8') === 'finished\n';
  };

  it('finishes when the command that waits for it is killed with its process group', async () => {
    expect(await killedMidway('in_own_session WORK')).toBe(true);
  });

  it('is waited for: what runs after it sees the work done (confirm reads the phase the restore wrote)', () => {
    const done = join(dir, 'waited');
    const script = `${COMMON_SNIPPET}${IN_OWN_SESSION_SNIPPET}\nin_own_session sh -c 'sleep 0.3; echo finished > ${done}'\ncat ${done}\n`;
    expect(spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' }).stdout).toBe('finished\n');
  });

  it('(without it the same kill ends the work half-way)', async () => {
    expect(await killedMidway('WORK')).toBe(false);
  });
});
