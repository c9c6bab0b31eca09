import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArmedRun } from './armed-run.fixture';
import { COMMON_SNIPPET } from './common.snippet';
import { FACTS_SCRIPT } from './facts.script';
import { RECOVER_SNIPPET } from './recover.snippet';
import { RESOLVE_SCRIPT } from './resolve.script';
import { VERIFY_SCRIPT } from './verify.script';
import { parseFacts } from '../parsers/facts.parser';

const realDate = execFileSync('sh', ['-c', 'command -v date'], { encoding: 'utf8' }).trim();
/** A `date` whose clock is the real one stepped by the seconds in $HOSTNET_ROOT/clock-step (an NTP step, simulated). */
const steppedDate = `#!/bin/sh
step=0
read -r step < "$HOSTNET_ROOT/clock-step" 2>/dev/null || step=0
exec ${realDate} -d "@$(( $(${realDate} +%s) + step ))" "$@"
`;

/**
 * The rollback deadline follows the time since boot, not the wall clock: a clock stepped back an hour must not keep a
 * broken host's network broken an hour longer, nor one stepped forward roll back a run the controller still verifies.
 */
describe('the rollback deadline under a clock step', () => {
  let run: ArmedRun;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    // ip and ovs-vsctl for the facts script: nothing of this machine's network is read
    run = new ArmedRun({ journal: '1 begin s1\n2 armed 0 setsid\n3 steps-done 0\n' }, { date: steppedDate, ip: "#!/bin/sh\necho '[]'\n", 'ovs-vsctl': '#!/bin/sh\nexit 1\n' });
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    // a timer the scripts started in the background (a re-arm) records itself there: it must not write into the run
    // directory while it is removed
    const timer = existsSync(join(run.dir, 'timer.pid')) ? Number(readFileSync(join(run.dir, 'timer.pid'), 'utf8').split(' ')[0]) : 0;
    if (timer > 0) {
      try {
        process.kill(timer, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    run.remove();
  });

  /** The deadline `seconds` from now as the apply sets it, on the clock as it is (not stepped yet). */
  const armFor = (seconds: number) => shell(`deadline_in ${seconds}; write_state r1 s1 armed "$DEADLINE" s0; set_deadline`);
  const stepClock = (seconds: number) => writeFileSync(join(run.root, 'clock-step'), `${seconds}\n`);
  const shell = (script: string) => {
    const r = spawnSync('sh', ['-c', `set -u\n${COMMON_SNIPPET}${RECOVER_SNIPPET}\nRUN='${run.dir}'\n${script}`], { env: run.env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return r.stdout;
  };
  const watch = () => {
    const timer = spawn('sh', [join(run.dir, 'restore.sh'), run.dir, 'watch', 'timer'], { env: run.env, stdio: 'ignore' });
    children.push(timer);
    return timer;
  };
  const phase = () => /"phase":"([a-z-]*)"/.exec(run.read('var/lib/hostnet/state.json'))?.[1];

  it('records the deadline on the wall clock for the controller and since boot for the timer', () => {
    armFor(90);
    const [epoch, sinceBoot, rest] = readFileSync(join(run.dir, 'deadline'), 'utf8').split('\n');
    expect(Number(epoch) - Date.now() / 1000).toBeGreaterThan(85);
    const [cs, boot] = sinceBoot!.split(' ');
    const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    expect(Number(cs) / 100 - uptime).toBeGreaterThan(85);
    expect(boot).toBe(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    expect(rest).toBe('');
  });

  it('rolls back on time when the clock was stepped back an hour', async () => {
    armFor(2);
    stepClock(-3600);
    watch();
    await sleep(5000);
    expect(run.journal()).toContain('restore-start watch timer');
    expect(phase()).toBe('rolled-back');
  }, 15_000);

  it('does not roll back early when the clock was stepped forward an hour', async () => {
    armFor(4);
    stepClock(3600);
    const timer = watch();
    await sleep(2000);
    expect(run.journal()).not.toContain('restore-start');
    expect(timer.exitCode).toBeNull();
    await sleep(4000);
    expect(run.journal()).toContain('restore-start watch timer');
  }, 15_000);

  it('restores a run whose timer died once its time has elapsed, though the clock was stepped back', async () => {
    armFor(1);
    await sleep(1500);
    stepClock(-3600);
    shell('recover_stale_run contact');
    expect(run.journal()).toContain('restore-start resume timer-died');
    expect(phase()).toBe('rolled-back');
  });

  it('re-arms, not restores, a run whose timer died before its time, though the clock was stepped forward', async () => {
    armFor(60);
    stepClock(3600);
    shell('recover_stale_run contact');
    expect(run.journal()).toMatch(/ rearmed \d+\n/);
    expect(run.journal()).not.toContain('restore-start');
    expect(phase()).toBe('armed');
    // the timer it started in the background records itself (it ends with the run's directory)
    for (let i = 0; i < 40 && !existsSync(join(run.dir, 'timer.pid')); i += 1) await sleep(50);
    expect(existsSync(join(run.dir, 'timer.pid'))).toBe(true);
  });

  /** A live process recorded in the run's PIDFILE as the scripts record one (record_self): "pid starttime". */
  const liveProcess = async (pidfile: string) => {
    const p = spawn('sleep', ['30']);
    children.push(p);
    await sleep(100);
    const started = readFileSync(`/proc/${p.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19];
    writeFileSync(join(run.dir, pidfile), `${p.pid} ${started}\n`);
    return p;
  };

  it('tells the controller the time left as the timer measures it, beside the deadline it shows', async () => {
    armFor(60);
    stepClock(-3600);
    // the run's timer, alive: the facts' contact leaves the run to it
    await liveProcess('timer.pid');
    const facts = parseFacts(spawnSync('sh', ['-c', FACTS_SCRIPT], { env: run.env, input: '', encoding: 'utf8' }).stdout);
    expect(facts.deadlineLeft).toBeGreaterThan(55);
    expect(facts.deadlineLeft).toBeLessThanOrEqual(60);
    expect(facts.runState!.deadline - facts.hostNow).toBeGreaterThan(3600);
    expect(run.journal()).not.toContain('rearmed');
  });

  it("extends the deadline by the verify's seconds, though the clock was stepped back an hour since it was armed", async () => {
    armFor(10);
    stepClock(-3600);
    // the run's timer, alive: the verify's contact leaves the run to it instead of re-arming one in the background
    await liveProcess('timer.pid');
    const verify = spawnSync('sh', ['-c', VERIFY_SCRIPT], { env: run.env, input: 'run r1\nextend 60\n', encoding: 'utf8' });
    expect(verify.status).toBe(0);
    expect(run.journal()).toMatch(/ extended \d+\n/);
    shell('deadline_left; echo "$REPLY" > "$RUN/left"');
    expect(Number(readFileSync(join(run.dir, 'left'), 'utf8')) / 100).toBeGreaterThan(55);
  });

  it("refuses an operator's resolve of a live apply still inside its time, though the clock was stepped forward an hour", async () => {
    armFor(60);
    stepClock(3600);
    const apply = await liveProcess('apply.pid');
    const resolve = spawnSync('sh', ['-c', RESOLVE_SCRIPT], { env: run.env, input: 'action rollback\nwhy test\n', encoding: 'utf8' });
    expect(resolve.stdout).toMatch(/"status":"refused".*the apply of run r1 is still running, (5\d|60) s before its deadline: not killed/);
    expect(apply.exitCode).toBeNull();
    expect(phase()).toBe('armed');
  });
});
