import { RelabelRolloutStore } from './relabel-rollout.store';
import type { RelabelRollout } from './relabel-rollout.types';
import { RolloutSpecHarness, SPEC_ZONE } from './test-support/rollout-spec-harness';

const TT = 'tt-public';

describe('RolloutRunner: the label flip is skipped only once CloudStack confirmed it', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  /** The fake's first updateTrafficType fails: `refused` changes nothing, `lost` takes the label and loses the answer. */
  function failFirstFlip(how: 'refused' | 'lost'): void {
    const send = h.cloudstack.updateTrafficTypeLabel.bind(h.cloudstack);
    let failed = false;
    h.cloudstack.updateTrafficTypeLabel = async (id, label) => {
      if (failed) return send(id, label);
      failed = true;
      if (how === 'lost') await send(id, label);
      else h.cloudstack.calls.push({ command: 'updateTrafficType', id, arg: label, at: Date.now() });
      throw new Error(how === 'lost' ? 'socket hang up (updateTrafficType)' : 'CloudStack 530: updateTrafficType refused');
    };
  }

  const layoutsAllNew = () => {
    for (const host of SPEC_ZONE.hosts) expect(h.steps.layoutsOf(host.name)).toEqual(['both', 'both', 'new']);
  };

  it('a flip CloudStack refused pauses the rollout; resume sends it again and the rollout ends on the new label', async () => {
    const { id } = await h.planned();
    failFirstFlip('refused');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');

    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', phase: 'flip', flipped: [TT] });
    expect(paused.flipConfirmed ?? []).toEqual([]);
    expect(paused.reason).toMatch(/label flip of traffic type tt-public failed: CloudStack 530.*resume sends it again/);
    expect(h.steps.runs.filter((r) => r.purpose !== 'expand')).toEqual([]);

    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr5');
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5', 'updateTrafficType:cloudbr5']);
    expect(await h.store.get(id)).toMatchObject({ state: 'done', flipped: [TT], flipConfirmed: [TT] });
    layoutsAllNew();
  });

  it('a runner that lost its lock between recording the flip and sending it: the next runner reads the label, then sends the flip', async () => {
    const { id } = await h.planned();
    const stealing = new StealLockOnFlipRecord(h, (r) => r.flipped.includes(TT));
    await h.act(id, 'start');
    expect(await h.runner(id, stealing).run()).toBe('stopped');
    expect(h.sent('updateTrafficType')).toEqual([]);
    expect(await h.store.get(id)).toMatchObject({ state: 'running', phase: 'flip', flipped: [TT] });

    await h.redis.del(h.lockKey(id));
    expect(await h.runner(id).run()).toBe('ended');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr5');
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5']);
    expect(h.sent('listTrafficTypes')).toHaveLength(1);
    expect(await h.store.get(id)).toMatchObject({ state: 'done', flipConfirmed: [TT] });
    layoutsAllNew();
  });

  it('a flip CloudStack took whose answer was lost is confirmed by a read on resume, never sent twice', async () => {
    const { id } = await h.planned();
    failFirstFlip('lost');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr5');

    await h.act(id, 'resume');
    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', flipConfirmed: [TT] });
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5']);
    expect((await h.store.calls(id)).filter((c) => c.command === 'listTrafficTypes')).toMatchObject([{ ok: true, result: 'kvmnetworklabel=cloudbr5' }]);
    layoutsAllNew();
  });

  it('abort after a flip whose answer was lost flips the label back, once', async () => {
    const { id } = await h.planned();
    failFirstFlip('lost');
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');

    await h.act(id, 'abort');
    expect(await h.runner(id).run()).toBe('ended');
    const aborted = await h.store.get(id);
    expect(aborted).toMatchObject({ state: 'aborted', flipped: [], rollbackFailures: [] });
    expect(aborted.flipConfirmed ?? []).toEqual([]);
    expect(h.cloudstack.labels.get(TT)).toBe('cloudbr1');
    expect(h.sent('updateTrafficType')).toEqual(['updateTrafficType:cloudbr5', 'updateTrafficType:cloudbr1']);
  });
});

/** A store that, after the write recording the flip, hands the rollout's lock to another runner (as an expiry would). */
class StealLockOnFlipRecord extends RelabelRolloutStore {
  private stolen = false;

  constructor(
    private readonly h: RolloutSpecHarness,
    private readonly recorded: (r: RelabelRollout) => boolean,
  ) {
    super(h.redis, h.prefix);
  }

  override async update(id: string, change: (rollout: RelabelRollout) => boolean | void): Promise<RelabelRollout> {
    const written = await super.update(id, change);
    if (!this.stolen && this.recorded(written)) {
      this.stolen = true;
      await this.h.redis.set(this.h.lockKey(id), 'another-runner', 'PX', this.h.options.lockTtlMs);
    }
    return written;
  }
}
