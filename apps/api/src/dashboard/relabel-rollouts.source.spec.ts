import type { RelabelPlan } from '@hostnet/relabel';
import type { RelabelRollout } from '../relabels/relabel-rollout.types';
import { ROLLOUTS_UNREADABLE } from './rollout-panel.renderer';
import { RelabelRolloutsSource } from './relabel-rollouts.source';
import { midContractRollout, plannedRollout } from './test-support/rollout-records';

/** The source over an in-memory reader of the port's shape (the store itself is exercised on real Redis in test/integration). */
function sourceOver(rollouts: () => RelabelRollout[], plans: Map<string, RelabelPlan>) {
  const reads = { list: 0, plan: 0 };
  const reader = {
    list: async () => (reads.list++, rollouts()),
    plan: async (id: string) => {
      reads.plan++;
      const plan = plans.get(id);
      if (!plan) throw new Error(`no plan for relabel rollout ${id}`);
      return plan;
    },
  };
  return { source: new RelabelRolloutsSource(reader, { refreshMs: 0 }), reads };
}

describe('RelabelRolloutsSource', () => {
  const live = midContractRollout('rl-a');
  const other = plannedRollout('rl-b');
  Object.assign(other.rollout, { zoneId: 'zone-2', zoneName: 'zone2' });

  it("keeps the filter's zone (by id or name), reads each plan once and renders a record version once", async () => {
    const { source, reads } = sourceOver(() => [other.rollout, live.rollout], new Map([['rl-a', live.plan], ['rl-b', other.plan]]));
    const first = await source.panel({ zone: 'zone1' });
    expect(first.html).toContain('id="rollout-rl-a"');
    expect(first.html).not.toContain('rl-b');
    expect(await source.panel({ zone: 'zone-1' })).toEqual(first);
    const again = await source.panel({ zone: 'zone1' });
    expect(again).toBe(first);
    expect(reads.plan).toBe(1);
    expect((await source.panel({})).html.indexOf('rl-b')).toBeLessThan((await source.panel({})).html.indexOf('rl-a'));
  });

  it('shows a rollout whose plan is unreadable without its waves, and an unreadable store as such', async () => {
    const { source } = sourceOver(() => [live.rollout], new Map());
    expect((await source.panel({})).html).toContain('The plan of this rollout could not be read');
    const broken = sourceOver(() => {
      throw new Error('connection reset');
    }, new Map()).source;
    expect(await broken.panel({})).toEqual(ROLLOUTS_UNREADABLE);
  });
});
