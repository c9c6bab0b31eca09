import { loadReferenceExample } from '../../intent/test-support/reference-examples';
import { loadLintZone } from '../../intent/test-support/lint-zones';
import { lintZone } from '@hostnet/intent';
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

  it("lints a zone again only when what the lint reads changed: not for a new object of the same zone, nor for hosts' states", () => {
    const { topology, profileSet } = loadLintZone('duplicate-management-address');
    let lints = 0;
    const gate = new ZoneLintGate(profileSet, (input) => (lints++, lintZone(input)));
    const copy = () => structuredClone(topology);
    expect(gate.errorsFor(copy(), topology.hosts[0].id)).toHaveLength(1);
    const enabled = copy();
    enabled.hosts = enabled.hosts.map((h) => ({ ...h, state: 'Up', resourceState: 'Enabled' }));
    expect(gate.errorsFor(enabled, topology.hosts[0].id)).toHaveLength(1);
    expect(lints).toBe(1);
    // a changed address is linted anew: the duplicate is gone
    const fixed = copy();
    fixed.hosts[1] = { ...fixed.hosts[1]!, ipAddress: '192.168.100.99' };
    expect(gate.errorsFor(fixed, topology.hosts[0].id)).toEqual([]);
    expect(lints).toBe(2);
  });

  it("the lint's findings do not depend on the hosts' state or resource state", () => {
    const { topology, profileSet } = loadLintZone('duplicate-management-address');
    const states = [['Up', 'Enabled'], ['Disconnected', 'Disabled'], ['Alert', 'Maintenance']] as const;
    const findings = states.map(([state, resourceState]) => lintZone({ topology: { ...topology, hosts: topology.hosts.map((h) => ({ ...h, state, resourceState })) }, profileSet }));
    expect(findings[1]).toEqual(findings[0]);
    expect(findings[2]).toEqual(findings[0]);
  });
});
