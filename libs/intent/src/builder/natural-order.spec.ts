import { compareNatural, compareNaturalIgnoringCase, naturalKey } from './natural-order';

describe('natural order', () => {
  it('compareNatural orders numbers inside names by value, exactly (what hostnet renders)', () => {
    expect(['eth10', 'eth2', 'cloudbr100', 'cloudbr1', 'Eth3'].sort(compareNatural)).toEqual(['Eth3', 'cloudbr1', 'cloudbr100', 'eth2', 'eth10']);
  });

  it('compareNaturalIgnoringCase orders numbers inside names by value, case-insensitively', () => {
    expect(['kvm10', 'kvm2', 'KVM1', 'kvm1a', 'kvm11'].sort(compareNaturalIgnoringCase)).toEqual(['KVM1', 'kvm1a', 'kvm2', 'kvm10', 'kvm11']);
  });

  it('naturalKey sorts like compareNaturalIgnoringCase as a plain string', () => {
    expect(naturalKey('KVM007')).toBe(`kvm${'7'.padStart(15, '0')}`);
    expect(['kvm10', 'kvm2', 'kvm1'].map(naturalKey).sort()).toEqual(['kvm1', 'kvm2', 'kvm10'].map(naturalKey));
  });
});
