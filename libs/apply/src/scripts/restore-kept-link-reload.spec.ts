import { ArmedRun } from './armed-run.fixture';

/**
 * A bridge the run made now carries a VM's tap, so the restore keeps it; the restore's `ifreload -a` (ifupdown2)
 * would ifdown it as gone from the restored files, and ifupdown2 deletes a bridge it takes down. Run for real in a
 * network namespace of its own (needs root); ifreload is a stand-in that logs its words.
 */
describe('restore: ifupdown2 is told to leave a kept link alone', () => {
  const run = new ArmedRun(
    { journal: '1 begin s1\n2 step-start ifreload\n3 steps-done\n', owns: 'cloudbr9\ncloudbr8\n', links: 'lo\n', 'restore-steps/01': 'ifreload\nactivate\nifreload\n-a\n' },
    { ifreload: '#!/bin/sh\necho "$*" >> "$HOSTNET_ROOT/ifreload.log"\n' },
  );
  afterAll(() => run.remove());

  it('runs ifreload -a with -X for each kept link', () => {
    const before = 'ip link add cloudbr9 type bridge\nip tuntap add dev vnet3 mode tap\nip link set vnet3 master cloudbr9\nip link add cloudbr8 type bridge';
    const r = run.restore({ before, netns: true });
    expect(r.stderr).toBe('');

    const journal = run.journal();
    expect(journal).toMatch(/kept-link cloudbr9 devices vnet3/);
    expect(journal).toMatch(/removed-link cloudbr8/);
    expect(run.read('ifreload.log')).toBe('-a -X cloudbr9\n');
    expect(journal).toMatch(/restored-step ifreload/);
  });
});
