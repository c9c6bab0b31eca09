import type { ApplyOutcomeSummary } from '@hostnet/contracts';
import { RecordingLogger } from '../../../../test/support/recording-logger';
import { RunPhaseLogger } from './run-phase.logger';

const CONTEXT = { jobId: 'host-h1', hostId: 'h1', runId: 'job-r1', attempt: 2 };
const WHO = 'jobId=host-h1 hostId=h1 runId=job-r1 attempt=2';

function record(drive: (log: RunPhaseLogger) => void): string[] {
  const logger = new RecordingLogger('worker');
  drive(new RunPhaseLogger(logger, CONTEXT));
  // Drop the timestamp/pid/context prefix Nest adds: keep "LEVEL phase=…".
  return logger.lines.map((line) => line.replace(/^.*?(LOG|WARN) +\[worker\] /, '$1 ').trimEnd());
}

describe('RunPhaseLogger', () => {
  it('logs a started line per reported stage, then each step, verify, confirm and the outcome', () => {
    const outcome: ApplyOutcomeSummary = {
      status: 'applied',
      target: 'netplan-linux',
      steps: [
        { name: 'netplan-generate', durationMs: 12, exitCode: 0 },
        { name: 'netplan-apply', durationMs: 340, exitCode: 0 },
      ],
      verification: { ok: true, checks: [{ name: 'bridge cloudbr0', ok: true, detail: 'up' }] },
      rollback: { armedSeconds: 90, triggered: false },
      diff: { files: [{ path: '/etc/netplan/60-hostnet.yaml', change: 'create', unified: 'network:\n  secret: x\n' }], live: [] },
    };
    const lines = record((log) => {
      for (const stage of ['facts', 'apply', 'verify']) log.started(stage);
      log.finished(outcome);
    });
    expect(lines).toEqual([
      `LOG phase=facts ${WHO} state=started`,
      `LOG phase=apply ${WHO} state=started`,
      `LOG phase=verify ${WHO} state=started`,
      `LOG phase=step ${WHO} step=netplan-generate exitCode=0 durationMs=12`,
      `LOG phase=step ${WHO} step=netplan-apply exitCode=0 durationMs=340`,
      `LOG phase=verify ${WHO} ok=true checks=1`,
      `LOG phase=confirm ${WHO} confirmed=true rolledBack=false`,
      `LOG phase=outcome ${WHO} status=applied target=netplan-linux`,
    ]);
    // Never file contents, not even a dry-run diff.
    expect(lines.join('\n')).not.toMatch(/secret|network:/);
  });

  it('warns on a failed step, a failed check and a rollback, quoting the reason onto one line', () => {
    const lines = record((log) =>
      log.finished({
        status: 'rolled-back',
        reason: 'verification failed:\nbridge cloudbr1 missing',
        steps: [{ name: 'ifup cloudbr1', durationMs: 5, exitCode: 1 }],
        verification: { ok: false, checks: [{ name: 'bridge cloudbr0', ok: true }, { name: 'bridge cloudbr1', ok: false }] },
        rollback: { armedSeconds: 90, triggered: true },
      }),
    );
    expect(lines).toEqual([
      `WARN phase=step ${WHO} step="ifup cloudbr1" exitCode=1 durationMs=5`,
      `WARN phase=verify ${WHO} ok=false checks=2 failed="bridge cloudbr1"`,
      `WARN phase=confirm ${WHO} confirmed=false rolledBack=true`,
      `WARN phase=outcome ${WHO} status=rolled-back reason="verification failed:\\nbridge cloudbr1 missing"`,
    ]);
  });

  it('logs no confirm for a run that applied nothing', () => {
    const lines = record((log) => log.finished({ status: 'no-op', steps: [], verification: { ok: true, checks: [] } }));
    expect(lines).toEqual([`LOG phase=verify ${WHO} ok=true checks=0`, `LOG phase=outcome ${WHO} status=no-op`]);
  });

  it('logs a thrown failure with its retry decision', () => {
    const lines = record((log) => log.threw('UnsupportedHostOsError: unsupported host OS', { permanent: true, retry: false }));
    expect(lines).toEqual([`WARN phase=outcome ${WHO} status=failed permanent=true retry=false reason="UnsupportedHostOsError: unsupported host OS"`]);
  });

  it('quotes a value that tries to forge another key or line', () => {
    const lines = record((log) => log.started('apply attempt=9\nphase=outcome'));
    expect(lines).toEqual([`LOG phase="apply attempt=9\\nphase=outcome" ${WHO} state=started`]);
  });
});
