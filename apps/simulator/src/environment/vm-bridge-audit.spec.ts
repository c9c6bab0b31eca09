import { vmBridgeGaps } from './vm-bridge-audit';

const at = (ms: number) => new Date(1_000_000 + ms);
const vms = (ms: number, bridges: Record<string, number>) => ({ at: at(ms), hostId: 'h1', hostName: 'kvm1', bridges });
const net = (ms: number, links: string[]) => ({ at: 1_000_000 + ms, links });

describe('vmBridgeGaps', () => {
  it('finds VMs left on a bridge the host removed, and VMs arriving before their bridge exists', () => {
    const placements = [vms(0, { cloudbr1: 2 }), vms(30, { cloudbr1: 2, cloudbr5: 1 })];
    const history = [net(0, ['eth0', 'cloudbr1']), net(20, ['eth0']), net(25, ['eth0', 'cloudbr1']), net(40, ['eth0', 'cloudbr1', 'cloudbr5'])];
    expect(vmBridgeGaps('kvm1', placements, history, at(10))).toEqual([
      `kvm1: 2 VM(s) on cloudbr1 while the host had no cloudbr1 (from ${at(20).toISOString()})`,
      `kvm1: 1 VM(s) on cloudbr5 while the host had no cloudbr5 (from ${at(30).toISOString()})`,
    ]);
  });

  it('is empty when every bridge is there whenever VMs use it, and ignores what happened before `since`', () => {
    const placements = [vms(0, { cloudbr1: 2 }), vms(30, {}), vms(50, { cloudbr5: 2 })];
    const history = [net(0, ['eth0']), net(10, ['eth0', 'cloudbr1']), net(40, ['eth0', 'cloudbr5'])];
    expect(vmBridgeGaps('kvm1', placements, history, at(10))).toEqual([]);
  });
});
