import type { HostStatusRecord } from '../hosts/host-status.types';
import { stepOutcomeOf } from './relabel-step-outcome';

const record = (over: Partial<HostStatusRecord>): HostStatusRecord =>
  ({ hostId: 'h1', hostName: 'kvm1', zoneId: 'z', runId: 'r1', phase: 'verified', at: '2026-01-01T00:00:00Z', ...over }) as HostStatusRecord;

describe('stepOutcomeOf: a relabel host step as its run ended', () => {
  it('is undefined while the run has only been queued, and verified once it verified', () => {
    expect(stepOutcomeOf([record({ phase: 'queued' })], 'r1')).toBeUndefined();
    expect(stepOutcomeOf([record({ outcome: { status: 'applied', agentRestart: { status: 'restarted' } } })], 'r1')).toEqual({ ok: true, runStatus: 'applied' });
    expect(stepOutcomeOf([record({ phase: 'rolled-back', reason: 'verification failed', outcome: { status: 'rolled-back' } })], 'r1')).toEqual({ ok: false, runStatus: 'rolled-back', reason: 'verification failed' });
  });

  it('fails a step whose network verified but whose agent restart failed on its last attempt', () => {
    const reason = 'applied, agent restart failed: Unit cloudstack-agent.service not found.';
    const outcome = stepOutcomeOf([record({ reason, outcome: { status: 'applied', reason, agentRestart: { status: 'failed', detail: 'Unit cloudstack-agent.service not found.' } } })], 'r1');
    expect(outcome).toEqual({ ok: false, runStatus: 'applied, agent restart failed', reason });
  });

  it('fails a step whose agent restart was skipped: agent.properties names a device the host lacks, so the agent did not switch', () => {
    const reason = 'applied, agent not restarted: /etc/cloudstack/agent/agent.properties names cloudbr7 (private.network.device), …';
    const outcome = stepOutcomeOf([record({ reason, outcome: { status: 'applied', reason, agentRestart: { status: 'skipped', detail: '…' } } })], 'r1');
    expect(outcome).toEqual({ ok: false, runStatus: 'applied, agent not restarted', reason });
  });

  it('marks a failed run that never armed its rollback as having changed nothing, and no other', () => {
    const diff = { files: [], live: [] };
    const refused = record({ phase: 'failed', reason: 'MtuLoweringError: …, nothing was changed', outcome: { status: 'failed', diff } });
    expect(stepOutcomeOf([refused], 'r1')).toEqual({ ok: false, runStatus: 'failed', reason: 'MtuLoweringError: …, nothing was changed', unchanged: true });
    // armed, then failed and restored (or not fully): the host may hold what the restore left
    expect(stepOutcomeOf([record({ phase: 'failed', outcome: { status: 'failed', diff, rollback: { armedSeconds: 60, triggered: true } } })], 'r1')).not.toHaveProperty('unchanged');
    expect(stepOutcomeOf([record({ phase: 'rolled-back', outcome: { status: 'rolled-back', diff, rollback: { armedSeconds: 60, triggered: true } } })], 'r1')).not.toHaveProperty('unchanged');
    // no diff: not this run's own account (a previous run still pending on the host, a lost worker)
    expect(stepOutcomeOf([record({ phase: 'failed', outcome: { status: 'failed' } })], 'r1')).not.toHaveProperty('unchanged');
    expect(stepOutcomeOf([record({ phase: 'failed', reason: 'lost' })], 'r1')).not.toHaveProperty('unchanged');
  });
});
