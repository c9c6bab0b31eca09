import { parseExpires } from './expires-date.parser';

describe('parseExpires', () => {
  it.each([
    ['2024-01-01T10:00:00Z', '2024-01-01T10:00:00.000Z'],
    ['2024-01-01T10:00:00+05:30', '2024-01-01T04:30:00.000Z'],
    ['2011-10-10T12:00:00+0530', '2011-10-10T06:30:00.000Z'],
    ['2024-01-01T10:00:00.123Z', '2024-01-01T10:00:00.123Z'],
  ])('accepts %s', (text, iso) => {
    expect(parseExpires(text)?.toISOString()).toBe(iso);
  });

  it.each(['2024-01-01 10:00:00', '2024-01-01T10:00:00 0530', 'tomorrow', '2024-13-01T10:00:00Z'])('rejects %s', (text) => {
    expect(parseExpires(text)).toBeUndefined();
  });
});
