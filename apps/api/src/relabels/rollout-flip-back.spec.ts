import { RolloutSpecHarness } from './test-support/rollout-spec-harness';

const TT = 'tt-public';

describe('RolloutRunner: the rollback removes the new bridge only once CloudStack shows the old label', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const restoredOld = () => h.steps.runs.filter((r) => r.purpose === 'restore-old');

  /** The forward flip's job outlives the client's wait: the rollout pauses at the flip with job-1 recorded. */
  async function pausedOnSlowFlip(): Promise<string> {
    const { id } = await h.planned();
    h.cloudstack.slowFlips.add('cloudbr5');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    return id;
  }

  it('a forward flip whose job timed out is waited for before the flip back, so the late job cannot leave the label new', async () => {
    const id = await pausedOnSlowFlip();
    expect(await h.store.get(id)).toMatchObject({ state: 'paused', phase: 'flip', flipped: [TT], flipJobs: { [TT]: 'job-1' } });

    await h.act(id, 'abort');
    expect(await h.runner(id).run()).toBe('error');
    const waiting = await h.store.get(id);
    expect(waiting).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: [TT] });
    expect(waiting.lastError).toMatch(/forward updateTrafficType job job-1 is still pending/);
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5']);
    expect(restoredOld()).toEqual([]);

    h.cloudstack.endJob('job-1');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr5');
    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr1');
    const aborted = await h.store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', flipped: [], rollbackFailures: [] });
    expect(aborted.flipJobs).toEqual({});
    expect(restoredOld()).toHaveLength(6);
  });

  it('a flip back CloudStack answered but did not carry out is caught by reading the label back, and sent again', async () => {
    const id = await pausedOnSlowFlip();
    h.cloudstack.endJob('job-1');
    h.cloudstack.ignoredFlips.add('cloudbr1');

    await h.act(id, 'abort');
    expect(await h.runner(id).run()).toBe('error');
    const stopped = await h.store.get(id);
    expect(stopped).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: [TT] });
    expect(stopped.lastError).toMatch(/tt-public does not show kvmnetworklabel cloudbr1 in listTrafficTypes after the flip back/);
    expect(restoredOld()).toEqual([]);

    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr1');
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5', 'updateTrafficType:cloudbr1', 'updateTrafficType:cloudbr1']);
  });

  it('a label that shows the new one again when the new bridge is to go takes the rollback back to the flip back', async () => {
    const id = await pausedOnSlowFlip();
    h.cloudstack.endJob('job-1');
    // Right after the flip back's read-back, something (a job nobody waited for) sets the new label again.
    const list = h.cloudstack.listTrafficTypes.bind(h.cloudstack);
    let reads = 0;
    h.cloudstack.listTrafficTypes = async (pn) => {
      const answer = await list(pn);
      if (++reads === 1) h.cloudstack.labels.set(TT, 'cloudbr5');
      return answer;
    };

    await h.act(id, 'abort');
    expect(await h.runner(id).run()).toBe('error');
    const back = await h.store.get(id);
    expect(back).toMatchObject({ state: 'aborting', phase: 'rollback-flip', flipped: [TT] });
    expect(back.lastError).toMatch(/CloudStack shows the new label on traffic type tt-public again; back to the flip back/);
    expect(restoredOld()).toEqual([]);

    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr1');
    expect(await h.store.get(id)).toMatchObject({ state: 'aborted', flipped: [] });
    expect(restoredOld()).toHaveLength(6);
  });
  it('a forward job CloudStack no longer knows (expunged once it ended) is not waited for forever', async () => {
    const id = await pausedOnSlowFlip();
    h.cloudstack.endJob('job-1');
    await h.store.update(id, (r) => void (r.flipJobs = { [TT]: 'job-expunged' }));
    await h.act(id, 'abort');
    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr1');
    expect(await h.store.get(id)).toMatchObject({ state: 'aborted', flipped: [] });
  });
});
