import { ArmedRun } from './armed-run.fixture';

/**
 * Which kept links the restore takes from NetworkManager for its reload: only those it manages. A bridge another
 * daemon made (ifupdown, networkd) or one NetworkManager leaves alone is never set managed. In a network namespace of
 * its own (needs root); nmcli is a stand-in that logs its words and answers each device's state.
 */
describe('restore: kept links and NetworkManager', () => {
  const nmcli = `#!/bin/sh
echo "$*" >> "$HOSTNET_ROOT/nmcli.log"
case "$*" in
  '-g GENERAL.STATE device show cloudbr9') echo '100 (connected)' ;;
  '-g GENERAL.STATE device show cloudbr8') echo '10 (unmanaged)' ;;
esac
`;
  const run = new ArmedRun(
    { journal: '1 begin s1\n2 step-start nmcli-reload\n3 steps-done\n', owns: 'cloudbr9\ncloudbr8\n', links: 'lo\n', 'restore-steps/01': 'nmcli-reload\nactivate\nnmcli\nconnection\nreload\n' },
    { nmcli },
  );
  afterAll(() => run.remove());

  it('hands back only the links NetworkManager managed; leaves an unmanaged one alone', () => {
    const r = run.restore({ before: 'for b in cloudbr9 cloudbr8; do ip link add $b type bridge; ip tuntap add dev vnet-$b mode tap; ip link set vnet-$b master $b; done', netns: true });
    expect(r.stderr).toBe('');

    const calls = run.read('nmcli.log').trim().split('\n');
    expect(calls.filter((c) => c.startsWith('device set'))).toEqual(['device set cloudbr9 managed no', 'device set cloudbr9 managed yes']);
    expect(calls.indexOf('connection reload')).toBeGreaterThan(calls.indexOf('device set cloudbr9 managed no'));
    expect(calls.indexOf('connection reload')).toBeLessThan(calls.indexOf('device set cloudbr9 managed yes'));
    expect(run.journal()).toMatch(/kept-link cloudbr8 devices vnet-cloudbr8/);
  });
});
