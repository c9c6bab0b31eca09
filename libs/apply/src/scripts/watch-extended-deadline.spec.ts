import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESTORE_SCRIPT } from './restore.script';

/**
 * The rollback timer finds its deadline passed while a verify holds the run lock; the verify moves the deadline on
 * (it may: every step ended) and lets go. The timer must watch the new deadline, not roll back a run the controller
 * was told it may still confirm.
 */
describe('the rollback timer re-reads the deadline once it holds the lock', () => {
  const root = mkdtempSync(join(tmpdir(), 'hostnet-watch-'));
  const S = join(root, 'var/lib/hostnet');
  const run = join(S, 'backups/r1');
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });
  const nowS = () => Math.floor(Date.now() / 1000);
  const env = { PATH: process.env.PATH, HOSTNET_ROOT: root };

  it('keeps the run armed when the deadline moved while it waited for the lock', async () => {
    mkdirSync(run, { recursive: true });
    writeFileSync(join(S, 'state.json'), '{"runId":"r1","specHash":"s1","phase":"armed","deadline":"0","appliedSpecHash":"s0","updatedAt":"1"}\n');
    writeFileSync(join(run, 'journal'), '1 begin s1\n2 steps-done\n');
    writeFileSync(join(run, 'manifest'), '');
    writeFileSync(join(run, 'restore.sh'), RESTORE_SCRIPT);
    writeFileSync(join(run, 'deadline'), `${nowS() + 2}\n`);

    // the verify: holds the run lock across the old deadline
    const verify = spawn('flock', ['-x', join(S, 'run.lock'), 'sleep', '5'], { env });
    children.push(verify);
    await sleep(300);
    const timer = spawn('sh', [join(run, 'restore.sh'), run, 'watch', 'timer'], { env, stdio: 'ignore' });
    children.push(timer);

    await sleep(3500); // the old deadline has passed; the timer waits for the lock
    writeFileSync(join(run, 'deadline'), `${nowS() + 60}\n`);
    await new Promise((resolve) => verify.once('exit', resolve));
    await sleep(2500);

    expect(readFileSync(join(S, 'state.json'), 'utf8')).toContain('"phase":"armed"');
    expect(readFileSync(join(run, 'journal'), 'utf8')).not.toContain('restore-start');
    expect(timer.exitCode).toBeNull(); // still watching

    // confirmed meanwhile: the timer stands down by itself
    writeFileSync(join(S, 'state.json'), '{"runId":"r1","specHash":"s1","phase":"applied","deadline":"0","appliedSpecHash":"s1","updatedAt":"2"}\n');
    const exited = await Promise.race([new Promise((resolve) => timer.once('exit', () => resolve(true))), sleep(4000).then(() => false)]);
    expect(exited).toBe(true);
    expect(existsSync(join(run, 'restore-now.log'))).toBe(false);
  }, 20_000);
});
