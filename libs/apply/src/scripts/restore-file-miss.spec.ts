import { ArmedRun } from './armed-run.fixture';

/** The journal says only what happened: a file the restore could not put back is a miss, never also "restored". */
describe('restore journals a file it could not put back as missed only', () => {
  // the backup of the first file is gone (a disk error); the second is there
  const run = new ArmedRun({
    manifest: 'saved /etc/network/interfaces\nsaved /etc/hosts.hostnet\n',
    'files/etc/hosts.hostnet': 'kept\n',
    journal: '1 begin s1\n2 writing /etc/network/interfaces\n3 writing /etc/hosts.hostnet\n',
  });
  afterAll(() => run.remove());

  it('journals restore-failed and no restored-file, and the run ends incomplete', () => {
    expect(run.restore().status).toBe(0);

    const journal = run.journal();
    expect(journal).toMatch(/restore-failed file \/etc\/network\/interfaces/);
    expect(journal).not.toMatch(/restored-file \/etc\/network\/interfaces/);
    expect(journal).toMatch(/restored-file \/etc\/hosts.hostnet/);
    expect(journal).toMatch(/restore-incomplete/);
    expect(run.read('etc/hosts.hostnet')).toBe('kept\n');
  });
});
