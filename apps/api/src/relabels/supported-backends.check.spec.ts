import { RelabelValidationError, type RelabelPlan } from '@hostnet/relabel';
import { assertExpandableHosts } from './supported-backends.check';

const planWith = (backends: Array<'ovs' | 'linux'>) =>
  ({ expand: backends.map((backend, i) => ({ hostId: `h${i}`, hostName: `kvm${i + 1}`, backend })) }) as unknown as RelabelPlan;

describe('assertExpandableHosts', () => {
  it('accepts a rollout of Open vSwitch hosts', () => {
    expect(() => assertExpandableHosts(planWith(['ovs', 'ovs']))).not.toThrow();
  });

  it('refuses Linux-bridge hosts by name, with the fix, before anything changes', () => {
    const attempt = () => assertExpandableHosts(planWith(['ovs', 'linux', 'linux']));
    expect(attempt).toThrow(RelabelValidationError);
    expect(attempt).toThrow(/scope: "kvm2" uses Linux bridges.*fix: leave its cluster out of "scope"/);
    expect(attempt).toThrow(/2 problems/);
  });
});
