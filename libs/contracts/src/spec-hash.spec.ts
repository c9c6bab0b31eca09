import { canonicalJson, specHash } from './spec-hash';
import { configureHostJobId } from './job-ids';

describe('specHash', () => {
  it('does not depend on key order and drops undefined fields', () => {
    expect(specHash({ a: 1, b: { c: [1, 2], d: 'x' } })).toBe(specHash({ b: { d: 'x', c: [1, 2] }, a: 1, e: undefined }));
    expect(canonicalJson({ b: 1, a: [true, null] })).toBe('{"a":[true,null],"b":1}');
  });

  it('changes when any value changes', () => {
    expect(specHash({ vlan: 100 })).not.toBe(specHash({ vlan: 101 }));
  });
});

describe('configureHostJobId', () => {
  it('builds a colon-free, non-numeric id per host', () => {
    expect(configureHostJobId('d9960e4d-5da9-47be-af88-5cd19473b844')).toBe('host-d9960e4d-5da9-47be-af88-5cd19473b844');
    expect(configureHostJobId('42')).toBe('host-42');
  });

  it('refuses characters that could reach Redis keys unchecked', () => {
    expect(() => configureHostJobId('a b')).toThrow(/may only hold/);
    expect(() => configureHostJobId('x\ny')).toThrow(/may only hold/);
  });
});
