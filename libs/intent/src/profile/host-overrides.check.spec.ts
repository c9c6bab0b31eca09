import { hostOverrideSchema } from './host-profile.schema';
import { hostOverridesValid, hostOverrideValid } from './host-overrides.check';

const OVERRIDES: unknown[] = [
  {},
  { profile: 'linux' },
  { profile: 'a'.repeat(64) },
  { profile: 'a'.repeat(65) },
  { profile: 'bad name' },
  { profile: 7 },
  { storageAddress: '10.0.0.1' },
  { storageAddress: '10.0.0.1/24' },
  { storageAddress: '10.0.0.1/33' },
  { storageAddress: '10.0.0.256' },
  { storageAddress: '010.0.0.1' },
  { storageAddress: '' },
  { addresses: { cloudbr100: '10.0.0.1/24' } },
  { addresses: { cloudbr100: '10.0.0.1' } },
  { addresses: { 'bad name': '10.0.0.1/24' } },
  { addresses: { lo: '10.0.0.1/24' } },
  { addresses: { averyveryverylongname: '10.0.0.1/24' } },
  { addresses: [] },
  { hwaddrs: { eth0: '52:54:00:12:34:56' } },
  { hwaddrs: { eth0: '01:54:00:12:34:56' } },
  { hwaddrs: { eth0: '00:00:00:00:00:00' } },
  { hwaddrs: { eth0: 'ff:ff:ff:ff:ff:ff' } },
  { hwaddrs: { eth0: '52-54-00-12-34-56' } },
  { hwaddrs: { eth0: 5 } },
  { hwaddrs: null },
  { other: 1 },
  { profile: undefined },
  null,
  [],
  'linux',
  Object.create({ inherited: true }) as unknown,
];

describe('hostOverrideValid', () => {
  it.each(OVERRIDES.map((o) => [JSON.stringify(o) ?? String(o), o]))('agrees with hostOverrideSchema on %s', (_label, override) => {
    expect(hostOverrideValid(override)).toBe(hostOverrideSchema.safeParse(override).success);
  });

  it('checks every host and its key', () => {
    expect(hostOverridesValid({ a: { profile: 'x' }, b: {} })).toBe(true);
    expect(hostOverridesValid({ a: { profile: 'x' }, b: { profile: 'bad name' } })).toBe(false);
    expect(hostOverridesValid({ ['h'.repeat(256)]: {} })).toBe(false);
    expect(hostOverridesValid(undefined)).toBe(true);
    expect(hostOverridesValid(null)).toBe(false);
  });
});
