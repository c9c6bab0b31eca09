import { RolloutSpecHarness } from './test-support/rollout-spec-harness';
import { giveUpHost, RolloutConflictError } from './rollout-transitions';

describe('RolloutRunner: a rollback stuck on a host it cannot finish', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  /** kvm1 (the canary) contracted, kvm2's contract fails (abortAfter 1), and kvm1's restore to both keeps failing. */
  async function stuckOnKvm1(): Promise<string> {
    const { id } = await h.planned({ canary: 1, maxUnavailable: 1, abortAfter: 1 });
    h.cloudstack.failMaintenance.add('host-2');
    h.steps.decide = (run) => (run.hostName === 'kvm1' && run.purpose === 'restore-both' ? { ok: false, runStatus: 'failed', reason: 'ssh: connect timed out' } : { ok: true, runStatus: 'applied' });
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('error');
    expect(await h.runner(id).run()).toBe('error');
    const stuck = await h.store.get(id);
    expect(stuck).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: ['tt-public'] });
    expect(stuck.lastError).toMatch(/label not flipped back: kvm1 still have only the new bridge/);
    return id;
  }

  it('an operator gives the host up: it is left as it is, named, and the rollback ends', async () => {
    const id = await stuckOnKvm1();
    await h.store.update(id, (r) => void giveUpHost(r, 'kvm1', 'ops', 'host died, being replaced'));
    expect(await h.runner(id).run()).toBe('ended');
    const aborted = await h.store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', flipped: [], givenUp: [{ hostId: 'host-1', by: 'ops', why: 'host died, being replaced' }] });
    expect(aborted.reason).toMatch(/given up, left as they are: kvm1 \(by ops: host died, being replaced\)$/);
    expect(h.cloudstack.labels.get('tt-public')).toBe('cloudbr1');
    // nothing more was run on kvm1 after it was given up
    expect(h.steps.runs.filter((r) => r.hostName === 'kvm1').map((r) => r.purpose)).toEqual(['expand', 'switch', 'contract', 'restore-both']);
  });

  it('a host CloudStack no longer lists is given up by the rollback itself, not waited for as lacking the old bridge', async () => {
    const id = await stuckOnKvm1();
    h.cloudstack.hosts.delete('host-1');
    expect(await h.runner(id).run()).toBe('ended');
    const aborted = await h.store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', flipped: [], givenUp: [{ hostId: 'host-1', by: 'hostnet', why: 'CloudStack no longer lists it' }] });
    expect(h.cloudstack.labels.get('tt-public')).toBe('cloudbr1');
  });

  it('give-up is refused outside aborting, and for a host the rollout does not have', async () => {
    const { id } = await h.planned();
    await expect(h.store.update(id, (r) => void giveUpHost(r, 'kvm1', 'ops', undefined))).rejects.toThrow(RolloutConflictError);
    await expect(h.store.update(id, (r) => void giveUpHost(r, 'kvm1', 'ops', undefined))).rejects.toThrow(/give-up needs aborting/);
    await h.act(id, 'start');
    await h.act(id, 'abort');
    await expect(h.store.update(id, (r) => void giveUpHost(r, 'kvm99', 'ops', undefined))).rejects.toThrow(/host "kvm99" is not in rollout .*; fix: name one of kvm1, kvm2/);
  });
});
