import {
  interfaceNameProblem,
  isReservedInterfaceName,
  isValidInterfaceName,
  labelNameProblem,
  matchesAgentPifPattern,
} from './interface-name.validator';

describe('isValidInterfaceName', () => {
  it.each(['cloudbr0', 'bond0.100', 'eth0', 'a', 'A_b-c.d', 'x'.repeat(15), 'ens3f0'])('accepts %j', (name) => {
    expect(isValidInterfaceName(name)).toBe(true);
  });

  it.each([
    ['cloudbr0;reboot', 'characters'],
    ['$(id)', 'characters'],
    ['`id`', 'characters'],
    ['cloud\nbr0', 'characters'],
    ['"cloudbr0"', 'characters'],
    ["'cloudbr0'", 'characters'],
    ['br 0', 'characters'],
    ['x'.repeat(16), '16 characters'],
    ['clöudbr0', 'characters'],
    ['cloudbr０', 'characters'],
    ['', 'empty'],
    ['../x', 'characters'],
    ['a/b', 'characters'],
    ['.', 'path component'],
    ['..', 'path component'],
    ['-br0', 'starts with "-"'],
    ['eth0:1', 'characters'],
  ])('rejects %j (%s) with a fix', (name, reason) => {
    const problem = interfaceNameProblem(name);
    expect(problem).toContain(reason);
    expect(problem).toContain('fix:');
    expect(isValidInterfaceName(name)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isValidInterfaceName(42)).toBe(false);
    expect(isValidInterfaceName(undefined)).toBe(false);
  });
});

describe('reserved names', () => {
  it.each(['cloud0', 'lo', 'ovs-system', 'virbr0', 'brbond0-200', 'breth1-1001', 'cloudVirBr100', 'vnet3', 'all', 'default'])(
    '%j is reserved and not a label',
    (name) => {
      expect(isReservedInterfaceName(name)).toBe(true);
      expect(labelNameProblem(name)).toContain('reserved');
    },
  );

  it('suggests no one name as the fix (the example cloudbr0 was often the zone\'s Guest label already)', () => {
    expect(labelNameProblem('cloud0')).toContain('fix: choose another name, one no other label of the zone uses (cloudbr0, cloudbr1, …)');
  });

  it.each(['cloudbr0', 'cloudbr100', 'br-mgmt', 'brbond0'])('%j is not reserved', (name) => {
    expect(isReservedInterfaceName(name)).toBe(false);
  });
});

describe('matchesAgentPifPattern', () => {
  it.each(['eth0', 'bond0', 'bond0.100', 'vlan100', 'vxlan1', 'em1', 'ens3f0', 'eno1', 'enp1s0', 'team0', 'enx001122334455', 'dummy0', 'lo', 'p1p1', 'p2p10'])(
    'the agent finds %j',
    (name) => expect(matchesAgentPifPattern(name)).toBe(true),
  );
  it.each(['uplink0', 'mgmt', 'ovs-bond', 'veth0', 'wlan0', 'pp1'])('the agent misses %j', (name) => {
    expect(matchesAgentPifPattern(name)).toBe(false);
  });
});
