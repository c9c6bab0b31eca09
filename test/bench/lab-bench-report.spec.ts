import type { LabBenchResult } from './lab-bench-result';
import { bestRounds, formatLabReport, speedup } from './lab-bench-report';

const result = (over: Partial<LabBenchResult['ansible']> = {}): LabBenchResult => ({
  hosts: 20,
  hostnet: { startupMs: 1200, zoneStartMs: 300, firstMs: 6000, rerunMs: 800, firstEnabledMs: 7500, rerunEnabledMs: 1100, firstOutcomes: '20 applied→enabled, 20 updateHost', rerunOutcomes: '20 no-op→enabled, 0 updateHost', rerunNewConnectionsMs: 1300 },
  ansible: {
    firstMs: 66_000,
    rerunMs: 4000,
    firstStrategy: 'mitogen_free',
    rerunStrategy: 'free',
    forks: 20,
    rounds: [
      { strategy: 'mitogen_free', firstMs: 66_000, rerunMs: 4500, rerunRecap: { ok: 20, changed: 0, skipped: 20 } },
      { strategy: 'free', firstMs: 70_000, rerunMs: 4000, rerunRecap: { ok: 20, changed: 0, skipped: 20 } },
    ],
    versions: 'ansible-core 2.14.18',
    ...over,
  },
  speedup: { first: 11, rerun: 5, rerunNewConnections: 3.1 },
  goal: 10,
  notes: ['a note'],
});

describe('speedup', () => {
  it('is Ansible time over hostnet time', () => {
    expect(speedup(6000, 66_000)).toBe(11);
    expect(speedup(0, 500)).toBe(500); // never divides by zero
  });
});

describe('bestRounds', () => {
  const round = (strategy: 'free' | 'mitogen_free', firstMs: number, rerunMs: number) => ({ strategy, firstMs, rerunMs, rerunRecap: { ok: 1, changed: 0, skipped: 1 } });

  it('takes the fastest strategy for each run on its own', () => {
    const best = bestRounds([round('mitogen_free', 20_000, 9000), round('free', 25_000, 7000)]);
    expect(best.first.strategy).toBe('mitogen_free');
    expect(best.rerun.strategy).toBe('free');
  });

  it('refuses to pick from nothing', () => {
    expect(() => bestRounds([])).toThrow(/no Ansible round/);
  });
});

describe('formatLabReport', () => {
  it('shows both tools, both runs, the excluded start-up and each speed-up against the goal', () => {
    const text = formatLabReport(result()).join('\n');
    expect(text).toContain('on 20 OVS lab hosts');
    expect(text).toMatch(/hostnet api\+worker start-up\s+1\.20 s {2}\(excluded below; lab CloudStack simulator \+ Redis before it 0\.30 s\)/);
    expect(text).toMatch(/hostnet first apply\s+6\.00 s to the last host verified, 7\.50 s to the last enabled {2}\(20 applied→enabled, 20 updateHost\)/);
    expect(text).toMatch(/hostnet re-run \(no-op\)\s+0\.80 s/);
    expect(text).toMatch(/ansible mitogen_free first apply\s+66\.00 s {2}\(forks 20\)/);
    expect(text).toMatch(/ansible mitogen_free re-run\s+4\.50 s {2}\(recap ok=20 changed=0 skipped=20\)/);
    expect(text).toMatch(/ansible free first apply\s+70\.00 s/);
    expect(text).toMatch(/ansible at its best\s+first apply 66\.00 s \(mitogen_free\), re-run 4\.00 s \(free\)/);
    expect(text).toMatch(/speed-up first apply\s+11\.0× {2}\(goal ≥ 10×: pass\)/);
    expect(text).toMatch(/speed-up re-run\s+5\.0× {2}\(goal ≥ 10×: FAIL\)/);
    expect(text).toMatch(/hostnet re-run, new connections\s+1\.30 s to the last host verified/);
    expect(text).toMatch(/speed-up re-run, new connections\s+3\.1× {2}\(not the goal's line/);
    expect(text).toMatch(/mitogen\s+works with Debian's ansible \(mitogen_free timed\)/);
    expect(text).toContain('note: a note');
  });

  it('says why Mitogen was not used', () => {
    const rounds = [{ strategy: 'free' as const, firstMs: 70_000, rerunMs: 4000, rerunRecap: { ok: 20, changed: 0, skipped: 20 } }];
    const text = formatLabReport(result({ firstStrategy: 'free', rounds, mitogenProblem: 'the play failed under mitogen_free' })).join('\n');
    expect(text).toMatch(/mitogen\s+not used: the play failed under mitogen_free/);
    expect(text).not.toContain('ansible mitogen_free');
  });
});
