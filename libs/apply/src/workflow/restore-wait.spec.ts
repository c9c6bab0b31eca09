import type { LiveState } from '@hostnet/intent';
import type { HostFacts } from '../domain/host-facts';
import { restoredChecks } from './restore-wait';

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

  it("holds no link to its pre-run MTU, a VM's tap least of all: the restore sets MTUs back itself and journals what it could not", () => {
    const checks = restoredChecks(facts(live(9000, undefined)), facts(live(1500, 9000)), owned);
    expect(checks.find((c) => c.name === 'live state restored')).toEqual({ name: 'live state restored', ok: true, detail: 'matches the pre-apply live state' });
  });
});
