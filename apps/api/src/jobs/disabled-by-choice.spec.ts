import { disabledByChoiceIn } from './disabled-by-choice';

describe('disabledByChoiceIn: what one record says of a Disabled host', () => {
  const at = '2026-01-01T00:00:00Z';
  it.each([
    ['hostnet enabled it', { phase: 'enabled' as const, at }, { kind: 'enabled', at }],
    // a rollout gave the host back Enabled: Disabled now, someone disabled it since, as after hostnet's own enable
    ['a relabel rollout gave it back Enabled', { phase: 'enabled' as const, at, relabelRolloutId: 'rl-1' }, { kind: 'enabled', at }],
    ['a relabel step ran it', { phase: 'failed' as const, at, relabelRolloutId: 'rl-1' }, { kind: 'relabel', rolloutId: 'rl-1', phase: 'failed' }],
    ['a run withheld the enable', { phase: 'verified' as const, at, reason: 'not enabled: left Disabled by choice: because; fix: x' }, { kind: 'withheld', why: 'because; fix: x' }],
  ])('%s', (_name, record, choice) => {
    expect(disabledByChoiceIn(record)).toEqual(choice);
  });

  it('says nothing for a run that says nothing of the allocation, or a dry-run that kept the phase it found', () => {
    for (const phase of ['queued', 'applying', 'failed', 'rolled-back', 'enable-failed'] as const) expect(disabledByChoiceIn({ phase, at })).toBeUndefined();
    expect(disabledByChoiceIn({ phase: 'verified', at, reason: 'not enabled: CloudStack shows the host in Maintenance; fix: x' })).toBeUndefined();
    expect(disabledByChoiceIn({ phase: 'enabled', at, dryRun: true })).toBeUndefined();
  });
});
