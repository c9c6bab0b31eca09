import { formatSplits, journalSplit } from './lab-journal-split';

describe('lab bench: a run journal split into where the apply went', () => {
  const journal = [
    '1000 begin abc',
    '1010 locked 42',
    '1100 armed 1300 setsid',
    '1150 writing /etc/network/interfaces',
    '1300 step-start ovs-add-br-cloudbr0',
    '1400 step-end ovs-add-br-cloudbr0 0',
    '1420 step-start activate-ifup-cloudbr0',
    '2000 step-end activate-ifup-cloudbr0 0',
    '2010 steps-done 2310',
    '2600 confirmed',
  ].join('\n');

  it('times prepare, write, steps and confirm from the first of each event', () => {
    expect(journalSplit(journal)).toEqual({ prepare: 100, write: 200, steps: 710, confirm: 590 });
    expect(formatSplits([journalSplit(journal)!, { prepare: 200, write: 0, steps: 290, confirm: 410 }])).toBe('prepare 150, write 100, steps 500, confirm 500 (2 hosts)');
  });

  it('answers nothing for a run that never confirmed (failed, rolled back or still armed)', () => {
    expect(journalSplit(journal.replace('2600 confirmed', '2600 restore-start timer'))).toBeUndefined();
    expect(journalSplit('')).toBeUndefined();
    expect(formatSplits([])).toBe('no journal read');
  });
});
