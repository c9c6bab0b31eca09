import type { BondIntent } from '@hostnet/intent/domain/host-network-intent';
import { linuxBondingOpts } from './bond-options';

const bond = (over: Partial<BondIntent>): BondIntent => ({ name: 'bond0', members: ['eth0', 'eth1'], mode: 'active-backup', miimon: 100, ...over });

describe('linuxBondingOpts', () => {
  // The bonding driver's numbers, from the kernel's Documentation/networking/bonding.rst.
  it.each([
    ['balance-rr', 0],
    ['active-backup', 1],
    ['balance-xor', 2],
    ['broadcast', 3],
    ['802.3ad', 4],
    ['balance-tlb', 5],
    ['balance-alb', 6],
  ] as const)('writes %s as mode=%i', (mode, number) => {
    expect(linuxBondingOpts(bond({ mode }))[0]).toBe(`mode=${number}`);
  });

  it('adds lacp_rate and xmit_hash_policy only to the modes that use them', () => {
    expect(linuxBondingOpts(bond({ mode: '802.3ad', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' }))).toEqual(['mode=4', 'miimon=100', 'lacp_rate=fast', 'xmit_hash_policy=layer3+4']);
    expect(linuxBondingOpts(bond({ mode: 'active-backup', lacpRate: 'fast', xmitHashPolicy: 'layer3+4' }))).toEqual(['mode=1', 'miimon=100']);
  });

  it('refuses an OVS-only mode instead of writing mode=-1', () => {
    expect(() => linuxBondingOpts(bond({ mode: 'balance-slb' }))).toThrow(/bond0: mode balance-slb is not a Linux bonding mode/);
  });
});
