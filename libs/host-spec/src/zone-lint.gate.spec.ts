import { loadReferenceExample } from '../../intent/test-support/reference-examples';
import { loadLintZone } from '../../intent/test-support/lint-zones';
import { ZoneLintGate, ZoneLintRefusal } from './zone-lint.gate';

describe('ZoneLintGate', () => {
  it('lets a clean zone run', () => {
    const { topology, profileSet } = loadReferenceExample('el7-linux-bridge');
    expect(() => new ZoneLintGate(profileSet).assertRunnable(topology, topology.hosts[0].id)).not.toThrow();
  });

  it('refuses a host a lint error concerns, with the finding and its fix in the message', () => {
    const { topology, profileSet } = loadLintZone('duplicate-management-address');
    const gate = new ZoneLintGate(profileSet);
    let refusal: unknown;
    try {
      gate.assertRunnable(topology, topology.hosts[1].id);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(ZoneLintRefusal);
    expect((refusal as ZoneLintRefusal).permanent).toBe(true);
    expect((refusal as Error).message).toMatch(
      /^zone lint refuses a run of host 8a1ab1e4-0c4e-4d7a-9a4b-000000000302 \(1 error; hostnet lint --zone lists them all\): \[duplicate-management-address\] zone mylab \/ pod pod1 \/ host kvmhost1, kvmhost2: management address 192\.168\.100\.20 .*; fix: /,
    );
  });

  it('ignores warnings and lints each topology object once', () => {
    const { topology, profileSet } = loadLintZone('label-missing');
    const gate = new ZoneLintGate(profileSet);
    expect(gate.errorsFor(topology, topology.hosts[0].id)).toEqual([]);
    const { topology: dup } = loadLintZone('duplicate-management-address');
    const first = gate.errorsFor(dup, dup.hosts[0].id);
    expect(first).toHaveLength(1);
    expect(gate.errorsFor(dup, dup.hosts[1].id)[0]).toBe(first[0]);
  });
});
