import { editDistance, transpositionDistance } from './edit-distance';

describe('transpositionDistance', () => {
  it('counts a swap of two adjacent characters as one edit, where editDistance counts two', () => {
    expect([editDistance('kmv5', 'kvm5'), transpositionDistance('kmv5', 'kvm5')]).toEqual([2, 1]);
    expect(transpositionDistance('kvm5', 'kvm5')).toBe(0);
    expect(transpositionDistance('kvm04', 'kvm4')).toBe(1);
    expect(transpositionDistance('kvm5', 'kvm')).toBe(1);
    expect(transpositionDistance('', 'ab')).toBe(2);
    expect(transpositionDistance('abcd', 'badc')).toBe(2);
  });
});
