import { join } from 'node:path';
import { runCommand } from './lab-process';

// 20 real hosts (all with Open vSwitch): up, one SSH command on each in parallel, down. ~10 s here.
describe('lab of 20 hosts', () => {
  it('comes up, answers SSH on every host and goes down inside 45 s, printing the figures', async () => {
    const started = Date.now();
    const r = await runCommand([join(__dirname, 'lab-timing.sh'), '20'], { timeoutMs: 45_000 });
    console.log(`${r.stdout.trim()} (total ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^lab-timing: 20 hosts \(ovs all\): up [\d.]+ s, .* \(0 failed\), down [\d.]+ s$/m);
  }, 50_000);
});
