import type { ApplyOutcome } from '@hostnet/apply';
import type { ApplyOutcomeSummary, ConfigureHostJobData } from '@hostnet/contracts';
import { wantsAgentRestart, withAgentRestart } from './agent-restart.step';

const job = (restartAgent: boolean, mode: 'apply' | 'dry-run' = 'apply') =>
  ({ mode, relabel: { rolloutId: 'r1', layout: 'both', changes: [], restartAgent } }) as unknown as ConfigureHostJobData;
const outcome = (status: ApplyOutcome['status']) => ({ status }) as ApplyOutcome;
const applied: ApplyOutcomeSummary = { status: 'applied', steps: [{ name: 'ifup-cloudbr9', durationMs: 5, exitCode: 0 }] };

describe('agent restart of a relabel step: after a confirmed run, never rolling the network back', () => {
  it('only for relabel steps asking for it, on applied or no-op (a re-delivered job whose restart may not have happened)', () => {
    expect(wantsAgentRestart(job(true), outcome('applied'))).toBe(true);
    expect(wantsAgentRestart(job(true), outcome('no-op'))).toBe(true);
    expect(wantsAgentRestart(job(true), outcome('rolled-back'))).toBe(false);
    expect(wantsAgentRestart(job(true), outcome('failed'))).toBe(false);
    expect(wantsAgentRestart(job(true, 'dry-run'), outcome('dry-run'))).toBe(false);
    expect(wantsAgentRestart(job(false), outcome('applied'))).toBe(false);
    expect(wantsAgentRestart({ mode: 'apply' } as ConfigureHostJobData, outcome('applied'))).toBe(false);
  });

  it('a restart is the last step; a failed one fails the run as retryable and says the network stays confirmed', () => {
    expect(withAgentRestart(applied, { status: 'restarted', exitCode: 0, durationMs: 7, detail: 'restarted' }).steps?.at(-1)).toEqual({ name: 'agent-restart', durationMs: 7, exitCode: 0 });
    expect(withAgentRestart(applied, { status: 'already', exitCode: 0, durationMs: 3, detail: 'already' })).toMatchObject({ status: 'applied' });
    const failed = withAgentRestart(applied, { status: 'failed', exitCode: 5, durationMs: 2, detail: 'Unit cloudstack-agent.service not found.' });
    expect(failed).toMatchObject({ status: 'failed', permanent: false });
    expect(failed.reason).toMatch(/^the network was applied and confirmed, but the cloudstack-agent restart failed: Unit cloudstack-agent.service not found\.; a retry/);
    expect(withAgentRestart(applied, undefined)).toBe(applied);
  });
});
