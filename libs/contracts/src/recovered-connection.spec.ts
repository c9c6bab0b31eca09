import { standingReasonOf } from './recovered-connection';

describe('standingReasonOf', () => {
  const lost = 'connection lost during apply: read ECONNRESET; the host had been confirmed';

  it("drops from a verified run's reason what it recovered from, keeping what follows", () => {
    expect(standingReasonOf({ status: 'applied', reason: lost, recovered: lost })).toBeUndefined();
    expect(standingReasonOf({ status: 'no-op', reason: `${lost}; agent not restarted`, recovered: lost })).toBe('agent not restarted');
  });

  it("keeps any other run's reason, and a reason that does not start with it, whole", () => {
    expect(standingReasonOf({ status: 'failed', reason: lost, recovered: lost })).toBe(lost);
    expect(standingReasonOf({ status: 'applied', reason: 'agent not restarted', recovered: lost })).toBe('agent not restarted');
    expect(standingReasonOf({ status: 'applied', reason: lost })).toBe(lost);
  });
});
