import { join } from 'node:path';
import { runCommand } from './lab-process';

// 20 real hosts (all with Open vSwitch): up, one SSH command on each in parallel, down. ~10 s here.
describe('lab of 20 hosts', () => {
  it('comes up, answers SSH on every host and goes down, printing the figures (times are printed, not judged)', async () => {
    const started = Date.now();
    const r = await runCommand([join(__dirname, 'lab-timing.sh'), '20'], { timeoutMs: 150_000 });
    console.log(`${r.stdout.trim()} (total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^lab-timing: 20 hosts \(ovs all\): up [\d.]+ s, .* \(0 failed\), down [\d.]+ s$/m);
  }, 160_000);
});
