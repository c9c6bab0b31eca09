import { parseEventTime, staleDeliveryReason } from './webhook-freshness';

describe('parseEventTime', () => {
  it.each([
    ['2024-05-14 10:22:11 +0000', Date.UTC(2024, 4, 14, 10, 22, 11)],
    ['2024-05-14 12:22:11 +0200', Date.UTC(2024, 4, 14, 10, 22, 11)],
    ['2024-05-14 05:22:11 -0500', Date.UTC(2024, 4, 14, 10, 22, 11)],
    ['2024-05-14T10:22:11.250Z', Date.UTC(2024, 4, 14, 10, 22, 11, 250)],
    ['2024-05-14T12:22:11+02:00', Date.UTC(2024, 4, 14, 10, 22, 11)],
  ])('reads %s', (text, ms) => {
    expect(parseEventTime(text)).toBe(ms);
  });

  it.each(['2024-05-14 10:22:11', '2024-02-31 10:00:00 +0000', 'yesterday', '', 42, undefined])('refuses %j', (value) => {
    expect(parseEventTime(value)).toBeUndefined();
  });
});

describe('staleDeliveryReason', () => {
  const now = Date.UTC(2024, 4, 14, 10, 30, 0);
  it('lets a fresh event through', () => {
    expect(staleDeliveryReason({ eventDateTime: '2024-05-14 10:22:11 +0000' }, now, 900)).toBeUndefined();
  });
  it('names an event older than the window', () => {
    expect(staleDeliveryReason({ eventDateTime: '2024-05-14 10:00:00 +0000' }, now, 900)).toBe(
      'replay check: the event is 1800 s old, over WEBHOOK_MAX_AGE_SECONDS (900)',
    );
  });
  it('names an event from the future and points at the clocks', () => {
    expect(staleDeliveryReason({ eventDateTime: '2024-05-14 11:00:00 +0000' }, now, 900)).toMatch(/1800 s in the future; check the clocks/);
  });
  it.each([{}, { eventDateTime: 'soon' }, 'text', null])('cannot age %j', (body) => {
    expect(staleDeliveryReason(body, now, 900)).toMatch(/no eventDateTime/);
  });
});
