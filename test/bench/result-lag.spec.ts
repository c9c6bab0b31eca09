import type { HostStatusRecord } from '../../apps/api/src/hosts/host-status.types';
import { resultLag } from './result-lag';

const at = (ms: number) => new Date(ms).toISOString();
const record = (hostId: string, phase: HostStatusRecord['phase'], ms: number, withOutcome: boolean): HostStatusRecord =>
  ({ hostId, hostName: hostId, zoneId: 'z', phase, at: at(ms), ...(withOutcome ? { outcome: { status: 'applied' } } : {}) }) as HostStatusRecord;

describe('resultLag', () => {
  it('measures from the worker reporting a result to api recording its outcome, not to the enable', () => {
    const lag = resultLag(
      [
        { hostId: 'h1', reportedAt: 10_000, pickedUpAt: 10_150, handledAt: 10_900 },
        { hostId: 'h2', reportedAt: 11_000, pickedUpAt: 11_020, handledAt: 11_300 },
      ],
      [
        [record('h1', 'enabled', 10_800, true), record('h1', 'verified', 10_200, true), record('h1', 'queued', 9000, false)],
        [record('h2', 'no-op', 11_050, true)],
      ],
    );
    expect(lag).toEqual({ results: 2, unrecorded: 0, recordMeanMs: 125, recordMaxMs: 200, handledMaxMs: 900, pickupMaxMs: 150 });
  });

  it('counts a result api never recorded, and takes a host\'s last result when it reported twice', () => {
    const lag = resultLag(
      [
        { hostId: 'h1', reportedAt: 5000 },
        { hostId: 'h1', reportedAt: 9000 },
        { hostId: 'h2', reportedAt: 9000 },
      ],
      [[record('h1', 'verified', 5100, true), record('h1', 'verified', 9400, true)]],
    );
    expect(lag).toMatchObject({ results: 2, unrecorded: 1, recordMaxMs: 400 });
  });
});
