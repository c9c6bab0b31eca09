import { RelabelRolloutStore } from './relabel-rollout.store';
import type { RolloutCallRecord } from './relabel-rollout.types';
import { RolloutSpecHarness } from './test-support/rollout-spec-harness';

describe('RolloutRunner: a CloudStack call the rollout could not record is not a host failure', () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('an Enable CloudStack carried out whose record Redis refused stops the runner; the next one finds the host Enabled and the rollout ends done', async () => {
    const { id } = await h.planned({ canary: 1, maxUnavailable: 1, abortAfter: 1 });
    const readOnly = new ReadOnlyOnce(h, (c) => c.command === 'updateHost' && c.params['allocationstate'] === 'Enable' && c.hostId === 'host-2');
    await h.act(id, 'start');
    expect(await h.runner(id, readOnly).run()).toBe('error');
    const stopped = await h.store.get(id);
    expect(stopped).toMatchObject({ state: 'running', phase: 'switch', failedHosts: [] });
    expect(stopped.lastError).toMatch(/^updateHost was carried out by CloudStack but the rollout could not record it \(READONLY You can't write against a read only replica\.\); the runner stops/);
    expect(h.cloudstack.hosts.get('host-2')!.resourceState).toBe('Enabled');

    expect(await h.runner(id).run()).toBe('ended');
    expect(await h.store.get(id)).toMatchObject({ state: 'done', failedHosts: [] });
    expect(h.cloudstack.callsOf('host-2').filter((c) => c === 'updateHost:Enable')).toHaveLength(1);
  });
});

/** A store whose first call record matching `failing` is refused as by a read-only Redis replica. */
class ReadOnlyOnce extends RelabelRolloutStore {
  private refused = false;

  constructor(
    h: RolloutSpecHarness,
    private readonly failing: (call: RolloutCallRecord) => boolean,
  ) {
    super(h.redis, h.prefix);
  }

  override async recordCall(id: string, call: RolloutCallRecord): Promise<void> {
    if (!this.refused && this.failing(call)) {
      this.refused = true;
      throw new Error("READONLY You can't write against a read only replica.");
    }
    return super.recordCall(id, call);
  }
}
