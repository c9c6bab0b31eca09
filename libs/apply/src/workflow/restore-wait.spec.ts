import type { LiveState } from '@hostnet/intent';
import type { HostFacts } from '../domain/host-facts';
import { journalChecks, restoredChecks } from './restore-wait';

const facts = (live: LiveState): HostFacts => ({
  osRelease: {},
  tools: {},
  networkScriptsDir: false,
  ifupdown2: false,
  systemdPid1: true,
  nmOvsPlugin: false,
  hostNow: 0,
  files: new Map(),
  live,
  ovsPresent: false,
});

describe("restoredChecks: a restore's check of live state", () => {
  const owned: LiveState = { links: [{ name: 'eth0', kind: 'nic', master: 'cloudbr0', mtu: 9000, up: true }, { name: 'cloudbr0', kind: 'bridge', mtu: 9000, up: true }], addresses: [], routes: [] };
  const live = (tap: number | undefined, eth0: number | undefined): LiveState => ({
    links: [
      { name: 'eth0', kind: 'nic', master: 'cloudbr0', up: true, ...(eth0 ? { mtu: eth0 } : {}) },
      { name: 'cloudbr0', kind: 'bridge', members: ['eth0', 'vnet0'], up: true },
      { name: 'vnet0', kind: 'nic', master: 'cloudbr0', up: true, ...(tap ? { mtu: tap } : {}) },
    ],
    addresses: [],
    routes: [],
  });

  it("holds hostnet's own NIC to its pre-run MTU, and a VM's tap to none", () => {
    const restored = restoredChecks(facts(live(9000, undefined)), facts(live(1500, undefined)), owned);
    expect(restored.find((c) => c.name === 'live state restored')).toEqual({ name: 'live state restored', ok: true, detail: 'matches the pre-apply live state' });
    // eth0 left at the run's 9000 is not restored (facts leave its 1500 before out: that is 1500, not any MTU)
    const left = restoredChecks(facts(live(9000, undefined)), facts(live(1500, 9000)), owned);
    expect(left.find((c) => c.name === 'live state restored')).toEqual({ name: 'live state restored', ok: false, detail: 'eth0 has MTU 9000, expected 1500' });
  });

  it('a bridge the restore kept for a VM tap on it is named, with why, and not called restored; nor a difference of live state besides', () => {
    const before: LiveState = { links: [{ name: 'eth0', kind: 'nic', up: true }], addresses: [], routes: [] };
    const after = facts({
      links: [
        { name: 'eth0', kind: 'nic', up: true },
        { name: 'cloudbr9', kind: 'bridge', members: ['vnet0'], up: true },
        { name: 'vnet0', kind: 'nic', master: 'cloudbr9', up: true },
      ],
      addresses: [],
      routes: [],
    });
    after.restore = { done: true, incomplete: [], kept: ['cloudbr9 ports vnet0'] };
    const run: LiveState = { links: [{ name: 'cloudbr9', kind: 'bridge', members: ['eth0'] }, { name: 'eth0', kind: 'nic', master: 'cloudbr9' }], addresses: [], routes: [] };
    expect(restoredChecks(facts(before), after, run).find((c) => c.name === 'live state restored')).toMatchObject({ ok: true });
    expect(journalChecks(after)).toEqual([
      { name: 'restore kept', ok: false, detail: 'kept what this run made, as something hostnet does not own is on it: cloudbr9 ports vnet0; delete it once that has moved' },
    ]);
  });

  it('Open vSwitch left running by the restore (down before the run) is named, with why, and not called restored', () => {
    const after = facts({ links: [], addresses: [], routes: [] });
    after.restore = { done: true, incomplete: [], kept: [], keptOvs: 'running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it' };
    expect(journalChecks(after)).toEqual([{ name: 'restore kept ovs', ok: false, detail: 'Open vSwitch left running: it was down before the run and a restore does not stop it (every bridge on the host shares it); stop it once nothing uses it' }]);
  });
});
