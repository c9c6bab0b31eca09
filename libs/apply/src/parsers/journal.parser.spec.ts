import { parseJournal, parseWritten } from './journal.parser';

const WIRED = '/etc/NetworkManager/system-connections/Wired connection 1.nmconnection';

describe('parseJournal', () => {
  it('reads a run confirmed only while no restore came after its confirmation (a confirm whose state write failed)', () => {
    expect(parseJournal('1 steps-done\n2 confirmed\n')!.confirmed).toBe(true);
    expect(parseJournal('1 steps-done\n2 confirmed\n3 restore-start watch timer\n4 restored\n')!.confirmed).toBe(false);
    expect(parseJournal('1 steps-done\n2 restore-start now x\n3 restored\n4 confirmed\n')!.confirmed).toBe(true);
    expect(parseJournal('1 steps-done\n')!.confirmed).toBe(false);
  });

  it('keeps a path with spaces as one argument of the events that name a path', () => {
    const journal = parseJournal(
      [
        `1 backed-up ${WIRED}`,
        `2 writing ${WIRED}`,
        `3 removed ${WIRED}`,
        `4 wrote /etc/network/interfaces ${'c'.repeat(64)}`,
        `5 wrote /etc/NetworkManager/system-connections/a b.nmconnection ${'d'.repeat(64)}`,
        `6 failed remove ${WIRED}`,
        '7 restore-start now remove /etc/NetworkManager/system-connections/Wired connection 1.nmconnection',
        `8 restore-failed file ${WIRED}`,
        `9 restored-file ${WIRED}`,
        '10 restore-incomplete',
      ].join('\n'),
    )!;
    expect(journal.entries.map((e) => [e.event, e.args])).toEqual([
      ['backed-up', [WIRED]],
      ['writing', [WIRED]],
      ['removed', [WIRED]],
      ['wrote', ['/etc/network/interfaces', 'c'.repeat(64)]],
      ['wrote', ['/etc/NetworkManager/system-connections/a b.nmconnection', 'd'.repeat(64)]],
      ['failed', ['remove', '/etc/NetworkManager/system-connections/Wired', 'connection', '1.nmconnection']],
      ['restore-start', ['now', 'remove', '/etc/NetworkManager/system-connections/Wired', 'connection', '1.nmconnection']],
      ['restore-failed', ['file', WIRED]],
      ['restored-file', [WIRED]],
      ['restore-incomplete', []],
    ]);
    expect(journal.failed).toBe(`remove ${WIRED}`);
    expect(journal.restore).toEqual({ done: true, incomplete: [`file ${WIRED}`], kept: [] });
    // a restore that died and was resumed is judged by its last attempt
    const resumed = parseJournal(['1 restore-start timer', '2 restore-failed step restore-ifup-eth0 1', '3 restore-start recover', '4 restored'].join('\n'))!;
    expect(resumed.restore).toEqual({ done: true, incomplete: [], kept: [] });
  });

  it("lists what the restore kept of the run's own because something hostnet does not own is on it", () => {
    const text = ['1 restore-start now verify', '2 kept-bridge cloudbr9 ports vnet0 vnet1', '3 removed-bridge cloud0', '4 kept-link cloudbr1 devices vnet2', '5 restored'].join('\n');
    expect(parseJournal(text)!.restore).toEqual({ done: true, incomplete: [], kept: ['cloudbr9 ports vnet0 vnet1', 'cloudbr1 devices vnet2'] });
  });

  it('says why the restore left Open vSwitch running, down before the run and started during it', () => {
    const text = ['1 restore-start now verify', '2 removed-bridge cloudbr1', `3 kept-ovs ${'running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it'}`, '4 restored'].join('\n');
    expect(parseJournal(text)!.restore).toEqual({ done: true, incomplete: [], kept: [], keptOvs: 'running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it' });
  });
});

describe('parseWritten', () => {
  it('reads the path as the rest of the line', () => {
    expect(parseWritten(`absent absent /etc/x\n${'e'.repeat(64)} present ${WIRED}\nshort line\n`)).toEqual([
      { path: '/etc/x', writtenSha256: 'absent', currentSha256: 'absent' },
      { path: WIRED, writtenSha256: 'e'.repeat(64), currentSha256: 'present' },
    ]);
  });
});
