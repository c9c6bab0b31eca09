import { ensureBuiltApps } from '../support/worker-process';
import { runFaultMatrix } from './fault-matrix';
import { formatMatrix, totals } from './matrix-report';

/**
 * The fast part of `npm run faults`: the faults one host can take on its own (a failing write, a
 * failing step, a dropped SSH connection, two triggers) and CloudStack failing on reconnect and
 * enable, at every phase they apply to (of the steps: the first, second, middle and last). Each trial is judged from the host's files and live state
 * and the CloudStack simulator's recorded calls, never from hostnet's own report.
 */
describe('fault matrix (fast part)', () => {
  beforeAll(() => ensureBuiltApps());

  it('leaves every host entirely old or entirely new, mutates CloudStack once per verified run, loses no job and reports the truth', async () => {
    const lines: string[] = [];
    const { verdicts, steps } = await runFaultMatrix({
      trials: 1,
      persona: 'rocky9',
      faults: FAST_FAULTS,
      rollbackSeconds: 5,
      boundMs: 90_000,
      hostConcurrency: 6,
      stepSample: 'ends',
      log: (line) => lines.push(line),
    });
    const report = formatMatrix(verdicts, steps);
    const t = totals(verdicts);
    const violations = verdicts
      .filter((v) => v.half || v.duplicate || v.lost || v.wrong)
      .map((v) => `${v.trial.fault}@${v.trial.phase} ${v.trial.host.name}: ${v.evidence.join(' | ')}`);

    expect(t.notInjected).toBe(0);
    expect({ violations, report }).toEqual({ violations: [], report: expect.stringContaining(', 0 half-applied, 0 duplicate mutations, 0 lost jobs, 0 wrong statuses') });
  }, 420_000);
});

const FAST_FAULTS = ['write-fails', 'step-fails', 'ssh-drop', 'two-triggers', 'cloudstack-5xx', 'cloudstack-timeout'];
