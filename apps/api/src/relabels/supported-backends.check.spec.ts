import { RelabelValidationError, type RelabelPlan } from '@hostnet/relabel';
import { assertExpandableHosts, LINUX_EXPAND_TARGETS } from './supported-backends.check';

const planWith = (backends: Array<'ovs' | 'linux'>) =>
  ({ expand: backends.map((backend, i) => ({ hostId: `h${i}`, hostName: `kvm${i + 1}`, backend })) }) as unknown as RelabelPlan;

describe('assertExpandableHosts', () => {
  it('accepts a rollout of Open vSwitch hosts', () => {
    expect(() => assertExpandableHosts(planWith(['ovs', 'ovs']), {})).not.toThrow();
  });

  it('the Linux targets with a rendered expand layout are debian-ifupdown-linux, networkmanager-linux and netplan-linux', () => {
    expect(LINUX_EXPAND_TARGETS).toEqual(['debian-ifupdown-linux', 'networkmanager-linux', 'netplan-linux']);
  });

  it('accepts Linux-bridge hosts whose latest run detected one of those targets', () => {
    expect(() => assertExpandableHosts(planWith(['ovs', 'linux', 'linux', 'linux']), { h1: 'debian-ifupdown-linux', h2: 'networkmanager-linux', h3: 'netplan-linux' })).not.toThrow();
  });

  it('refuses the other Linux-bridge hosts by name and target, with the fix, before anything changes', () => {
    const attempt = () => assertExpandableHosts(planWith(['ovs', 'linux', 'linux', 'linux']), { h1: 'el-network-scripts-linux', h2: 'el-network-scripts-linux', h3: undefined });
    expect(attempt).toThrow(RelabelValidationError);
    expect(attempt).toThrow(/scope: "kvm2" uses Linux bridges on target el-network-scripts-linux, whose expand layout .*does not render yet \(it does on debian-ifupdown-linux, networkmanager-linux, netplan-linux\).*fix: give its cluster's hosts the new bridge by hand in a maintenance window, then leave the cluster out of "scope" with outOfScope "leave-behind"/);
    expect(attempt).toThrow(/scope: "kvm3" uses Linux bridges on target el-network-scripts-linux, whose expand layout/);
    expect(attempt).toThrow(/scope: "kvm4" uses Linux bridges and has no hostnet run that detected its target.*fix: configure the host with hostnet first/);
    expect(attempt).toThrow(/3 problems/);
  });
});
