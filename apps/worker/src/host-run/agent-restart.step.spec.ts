import type { ApplyOutcome } from '@hostnet/apply';
import { isPermanentError, type ApplyOutcomeSummary, type ConfigureHostJobData } from '@hostnet/contracts';
import type { HostSession } from '@hostnet/ssh';
import { AgentRestartFailedError, agentRestartForMap, owesAgentRestart, runAgentRestart, skippedAgentRestart, wantsAgentRestart, withAgentRestart, withPlannedAgentRestart } from './agent-restart.step';

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

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

  it('a restart is the last step; a failed one is retried while attempts remain, then reported as applied with the restart failed', () => {
    expect(withAgentRestart(applied, { status: 'restarted', exitCode: 0, durationMs: 7, detail: 'restarted' }, false).steps?.at(-1)).toEqual({ name: 'agent-restart', durationMs: 7, exitCode: 0 });
    expect(withAgentRestart(applied, { status: 'already', exitCode: 0, durationMs: 3, detail: 'already' }, true)).toMatchObject({ status: 'applied', agentRestart: { status: 'already' } });
    const restart = { status: 'failed', exitCode: 5, durationMs: 2, detail: 'Unit cloudstack-agent.service not found.' } as const;
    const retried = () => withAgentRestart(applied, restart, false);
    expect(retried).toThrow(AgentRestartFailedError);
    expect(retried).toThrow(/^the network was applied and confirmed, but the cloudstack-agent restart failed: Unit cloudstack-agent.service not found\.; the next attempt/);
    expect(isPermanentError(catchError(retried))).toBe(false);
    const last = withAgentRestart(applied, restart, true);
    expect(last).toMatchObject({ status: 'applied', agentRestart: { status: 'failed', detail: 'Unit cloudstack-agent.service not found.' } });
    expect(last.reason).toMatch(/^applied, agent restart failed: Unit cloudstack-agent.service not found\./);
    expect(last.steps?.at(-1)).toEqual({ name: 'agent-restart', durationMs: 2, exitCode: 5 });
    expect(withAgentRestart(applied, undefined, true)).toBe(applied);
  });

  it('a restart skipped because agent.properties names a device the host lacks is the last step, said in the reason, never retried', () => {
    const skipped = withAgentRestart(applied, skippedAgentRestart('agent.properties names cloudbr9 (guest.network.device), …'), false);
    expect(skipped).toMatchObject({ status: 'applied', agentRestart: { status: 'skipped', detail: 'agent.properties names cloudbr9 (guest.network.device), …' } });
    expect(skipped.steps?.at(-1)).toEqual({ name: 'agent-restart-skipped', durationMs: 0, exitCode: 0 });
    expect(skipped.reason).toBe('applied, agent not restarted: agent.properties names cloudbr9 (guest.network.device), …');
  });

  it("keys the restart's once-only marker on the job's requestId, not on the spec hash a switch-back shares with its switch", async () => {
    const commands: string[] = [];
    const session = { exec: async (command: string) => (commands.push(command), { code: 0, stdout: 'restarted\n', stderr: '' }), close: async () => undefined } as unknown as HostSession;
    const switchJob = { requestId: '7f0c2b9e-1d2a-4c55-9a8e-3b1f0d9c1a01', specHash: 'a'.repeat(64) };
    const switchBack = { requestId: 'c3e1a0d4-5b6f-4e2d-8c7b-9a0f1e2d3c4b', specHash: 'a'.repeat(64) };
    await runAgentRestart(async () => session, switchJob);
    await runAgentRestart(async () => session, switchBack);
    expect(commands[0]).toContain(switchJob.requestId);
    expect(commands[1]).toContain(switchBack.requestId);
    expect(commands.join('\n')).not.toContain('a'.repeat(64));
  });

  it('outside relabels: an applied run that changed the agent\'s bridge map restarts an agent that runs, nothing else does', () => {
    const plain = { mode: 'apply' } as ConfigureHostJobData;
    expect(agentRestartForMap(plain, outcome('applied'), ['cloudbr1'])).toBe('if-running');
    expect(agentRestartForMap(plain, outcome('applied'), [])).toBeUndefined();
    expect(agentRestartForMap(plain, outcome('no-op'), ['cloudbr1'])).toBeUndefined();
    expect(agentRestartForMap(plain, outcome('rolled-back'), ['cloudbr1'])).toBeUndefined();
    expect(agentRestartForMap({ mode: 'dry-run' } as ConfigureHostJobData, outcome('dry-run'), ['cloudbr1'])).toBeUndefined();
    // a relabel step restarts by its own rule (wantsAgentRestart), never twice
    expect(agentRestartForMap(job(true), outcome('applied'), ['cloudbr1'])).toBeUndefined();
    expect(agentRestartForMap(job(false), outcome('applied'), ['cloudbr1'])).toBeUndefined();
  });

  it('a job that owes a restart (recorded before an earlier attempt applied) restarts the agent after an applied or no-op run, never after a failed one', () => {
    const owing = { mode: 'apply', agentRestartOwed: true } as ConfigureHostJobData;
    // the retry of a run that died after its confirm: its facts show the new bridges, nothing changed now
    expect(agentRestartForMap(owing, outcome('no-op'), [])).toBe('if-running');
    // the retry that adopted the run an earlier attempt left armed
    expect(agentRestartForMap(owing, outcome('applied'), [])).toBe('if-running');
    expect(agentRestartForMap(owing, outcome('failed'), [])).toBeUndefined();
    expect(agentRestartForMap(owing, outcome('rolled-back'), [])).toBeUndefined();
    // a no-op that owes nothing restarts nothing
    expect(agentRestartForMap({ mode: 'apply' } as ConfigureHostJobData, outcome('no-op'), [])).toBeUndefined();
    expect(agentRestartForMap({ ...job(true), agentRestartOwed: true }, outcome('no-op'), [])).toBeUndefined();
    // recorded only for a plain apply that changes the map, once
    expect(owesAgentRestart({ mode: 'apply' } as ConfigureHostJobData, ['cloudbr1'])).toBe(true);
    expect(owesAgentRestart({ mode: 'apply' } as ConfigureHostJobData, [])).toBe(false);
    expect(owesAgentRestart(owing, ['cloudbr1'])).toBe(false);
    expect(owesAgentRestart({ mode: 'dry-run' } as ConfigureHostJobData, ['cloudbr1'])).toBe(false);
    expect(owesAgentRestart(job(true), ['cloudbr1'])).toBe(false);
  });

  it('an agent that does not run is left alone and said so', () => {
    expect(withAgentRestart(applied, { status: 'not-running', exitCode: 0, durationMs: 4, detail: 'not-running' }, true)).toMatchObject({
      status: 'applied',
      agentRestart: { status: 'not-running' },
      steps: [{ name: 'ifup-cloudbr9' }, { name: 'agent-not-running', exitCode: 0 }],
    });
  });

  it('a dry-run lists the restart the apply it previews would ask for, after its own steps', () => {
    const plain = { mode: 'dry-run' } as ConfigureHostJobData;
    const dry: ApplyOutcomeSummary = { status: 'dry-run', planned: [{ name: 'ifup-cloudbr1', argv: ['ifup', 'cloudbr1'], phase: 'activate' }] };
    expect(withPlannedAgentRestart(dry, plain, ['cloudbr1']).planned?.map((s) => `${s.phase} ${s.name}`)).toEqual(['activate ifup-cloudbr1', 'agent agent-restart']);
    expect(withPlannedAgentRestart(dry, plain, [])).toBe(dry);
    expect(withPlannedAgentRestart({ status: 'dry-run', planned: [] }, plain, ['cloudbr1']).planned).toEqual([]);
    expect(withPlannedAgentRestart(dry, job(true, 'dry-run'), ['cloudbr1'])).toBe(dry);
    expect(withPlannedAgentRestart(applied, plain, ['cloudbr1'])).toBe(applied);
  });
});
