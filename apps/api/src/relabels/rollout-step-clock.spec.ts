import { RolloutSpecHarness, SPEC_OPTIONS } from './test-support/rollout-spec-harness';

const PREPARE_MS = 500;
const RUN_MS = 300;
const STEP_TIMEOUT_MS = 600;

describe("a contract step's run time counts from its enqueue, not from the maintenance before it", () => {
  const h = new RolloutSpecHarness();
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('a slow prepareHostForMaintenance followed by a run within stepTimeoutMs verifies', async () => {
    h.options = { ...SPEC_OPTIONS, stepTimeoutMs: STEP_TIMEOUT_MS };
    h.steps.durationMs = RUN_MS;
    // VMs migrating off: prepare plus run take longer than stepTimeoutMs, each alone well within it
    const prepare = h.cloudstack.prepareHostForMaintenance.bind(h.cloudstack);
    h.cloudstack.prepareHostForMaintenance = async (hostId) => {
      await new Promise((r) => setTimeout(r, PREPARE_MS));
      return prepare(hostId);
    };
    const { id } = await h.planned({ canary: 1, maxUnavailable: 1, abortAfter: 3 });
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('ended');

    const done = await h.store.get(id);
    expect(done).toMatchObject({ state: 'done', failedHosts: [] });
    const contract = done.hosts['host-1']!.steps.find((s) => s.purpose === 'contract')!;
    expect(contract).toMatchObject({ result: 'verified', runStatus: 'applied' });
    expect(Date.parse(contract.runQueuedAt!) - Date.parse(contract.startedAt)).toBeGreaterThanOrEqual(PREPARE_MS);
    expect(Date.parse(contract.configureAt!)).toBeLessThanOrEqual(Date.parse(contract.runQueuedAt!));
  }, 30_000);

  it('a run that does not end within stepTimeoutMs of its enqueue still times out', async () => {
    h.options = { ...SPEC_OPTIONS, stepTimeoutMs: STEP_TIMEOUT_MS };
    const decide = h.steps.decide;
    h.steps.decide = (run) => (run.purpose === 'contract' ? (undefined as never) : decide(run));
    const { id } = await h.planned({ canary: 1, maxUnavailable: 1, abortAfter: 3 });
    await h.act(id, 'start');
    expect(await h.runner(id).run()).toBe('waiting');

    const paused = await h.store.get(id);
    expect(paused).toMatchObject({ state: 'paused', failedHosts: ['host-1'] });
    const contract = paused.hosts['host-1']!.steps.find((s) => s.purpose === 'contract')!;
    expect(contract).toMatchObject({ result: 'failed', runStatus: 'timeout' });
    expect(contract.reason).toMatch(new RegExp(`did not end within ${STEP_TIMEOUT_MS} ms`));
  }, 30_000);
});
