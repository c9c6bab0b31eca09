import type { ExecResult, HostSession } from '@hostnet/ssh';
import { StuckRunResolver } from './stuck-run.resolver';

const WHY = 'alice: timer died';

/** What resolve.script.ts prints: the answer, state.json and the run's journal. */
function output(status: string, phase: string, journal: string[], detail = ''): string {
  const answer = { status, runId: 'r1', before: status === 'in-progress' ? '' : 'armed', phase, mode: '', detail };
  return ['@@hostnet:resolve', JSON.stringify(answer), '@@hostnet:state', JSON.stringify({ runId: 'r1', specHash: 's1', phase }), '@@hostnet:journal', ...journal, '@@hostnet:end', ''].join('\n');
}
const STARTED = ['1000 restore-start now operator: alice: timer died'];
const RESTORED = [...STARTED, '1001 restored'];

describe('StuckRunResolver follow-up', () => {
  it('keeps asking status when its repeated rollback is refused because its own restore holds the lock', async () => {
    const asked: string[] = [];
    const answers: (() => ExecResult)[] = [
      () => {
        throw new Error('connection lost while the restore re-activated the network');
      },
      () => ({ code: 0, stdout: output('refused', 'rolling-back', STARTED, 'another hostnet process holds the run lock of run r1'), stderr: '' }),
      () => ({ code: 0, stdout: output('in-progress', 'rolling-back', STARTED), stderr: '' }),
      () => ({ code: 0, stdout: output('rolled-back', 'rolled-back', RESTORED, 'run r1 rolled back to the configuration it replaced'), stderr: '' }),
    ];
    const session: HostSession = {
      exec: async (_command, options) => {
        asked.push(String(options?.stdin).split('\n')[0]!);
        return answers.shift()!();
      },
      close: async () => undefined,
    };
    let now = 0;
    const resolver = new StuckRunResolver(async () => session, {
      restoreWaitSeconds: 1,
      commandTimeoutMs: 1_000,
      followUpMs: 60_000,
      reconnectIntervalMs: 10,
      clock: { now: () => now, sleep: async (ms) => void (now += ms) },
    });

    const outcome = await resolver.rollback(WHY);

    expect(asked).toEqual(['action rollback', 'action rollback', 'action status', 'action status']);
    expect(outcome).toMatchObject({ status: 'rolled-back', runId: 'r1', phaseAfter: 'rolled-back' });
  });

  it('a restore that kept a bridge the run made (a VM tap joined it) is no clean rollback: failed, naming it', async () => {
    const journal = [...STARTED, '1001 kept-bridge cloudbr9 ports vnet0', '1002 restored'];
    const session: HostSession = {
      exec: async () => ({ code: 0, stdout: output('rolled-back', 'rolled-back', journal, 'run r1 rolled back to the configuration it replaced'), stderr: '' }),
      close: async () => undefined,
    };
    const resolver = new StuckRunResolver(async () => session, { restoreWaitSeconds: 1, commandTimeoutMs: 1_000, followUpMs: 1_000, reconnectIntervalMs: 10 });
    expect(await resolver.rollback(WHY)).toMatchObject({
      status: 'failed',
      detail: 'run r1 rolled back to the configuration it replaced; but kept what the run made, as something hostnet does not own is on it: cloudbr9 ports vnet0',
    });
  });

  it('a restore that left Open vSwitch running (down before the run) is no clean rollback: failed, saying why', async () => {
    const journal = [...STARTED, '1001 kept-ovs running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it', '1002 restored'];
    const session: HostSession = {
      exec: async () => ({ code: 0, stdout: output('rolled-back', 'rolled-back', journal, 'run r1 rolled back to the configuration it replaced'), stderr: '' }),
      close: async () => undefined,
    };
    const resolver = new StuckRunResolver(async () => session, { restoreWaitSeconds: 1, commandTimeoutMs: 1_000, followUpMs: 1_000, reconnectIntervalMs: 10 });
    expect(await resolver.rollback(WHY)).toMatchObject({
      status: 'failed',
      detail: 'run r1 rolled back to the configuration it replaced; but Open vSwitch left running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it',
    });
  });

  it('reports a refusal that is not its own restore as refused', async () => {
    const session: HostSession = {
      exec: async () => ({ code: 0, stdout: output('refused', 'armed', [], 'the apply of run r1 is still running'), stderr: '' }),
      close: async () => undefined,
    };
    const resolver = new StuckRunResolver(async () => session, { restoreWaitSeconds: 1, commandTimeoutMs: 1_000, followUpMs: 1_000, reconnectIntervalMs: 10 });
    expect(await resolver.rollback(WHY)).toMatchObject({ status: 'refused', detail: 'the apply of run r1 is still running' });
  });

  it("refuses a why outside the journal's charset before any round trip", async () => {
    const resolver = new StuckRunResolver(async () => Promise.reject(new Error('no connection expected')), { restoreWaitSeconds: 1, commandTimeoutMs: 1_000, followUpMs: 1_000, reconnectIntervalMs: 10 });
    await expect(resolver.rollback('stuck\n1 restored')).rejects.toThrow(/why: .* must be 1-400 of ASCII letters, digits, space and/);
  });
});
