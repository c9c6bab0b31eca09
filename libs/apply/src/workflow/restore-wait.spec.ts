import { createHash } from 'node:crypto';
import type { LiveState } from '@hostnet/intent';
import type { HostFacts } from '../domain/host-facts';
import { awaitRestore, journalChecks, restoredChecks } from './restore-wait';
import type { RunContext } from './run-context';
import { RunTracker, type Clock } from './run-tracker';

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

  it("does not hold NetworkManager's generated profile of a VM's tap to its old content, which NetworkManager writes anew when the tap is re-attached; any other file it does", () => {
    const file = (path: string, content: string) => ({ path, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, mode: 0o600, content });
    const tap = '/run/NetworkManager/system-connections/vnet0.nmconnection';
    const generated = (uuid: string) => `[connection]\nid=vnet0\nuuid=${uuid}\ntype=veth\ninterface-name=vnet0\n\n[.nmmeta]\nnm-generated=true\n`;
    const own = '/etc/NetworkManager/system-connections/cloudbr0.nmconnection';
    const before = { ...facts(live(undefined, undefined)), files: new Map([[tap, file(tap, generated('95a86e4b-a26d-4e10-ad44-74d4dcf29727'))], [own, file(own, 'old\n')]]) };
    const after = { ...facts(live(undefined, undefined)), files: new Map([[tap, file(tap, generated('d087a652-9d40-484a-a675-4212ba0dea69'))], [own, file(own, 'new\n')]]) };
    expect(restoredChecks(before, after, owned).filter((c) => c.name.startsWith('restored ')).map((c) => c.name)).toEqual([`restored ${own}`]);
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

describe('awaitRestore: a host not reached again after its rollback deadline', () => {
  it('reports the rollback triggered but unconfirmed, presumed by its on-host timer: no restore checks, no "restored"', async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += Math.max(0, ms)) };
    const ctx = {
      options: { reconnectTimeoutMs: 1_000, rollbackSeconds: 90, reconnectIntervalMs: 10, verifySettleMs: 0, verifySettleIntervalMs: 10 },
      clock,
      tracker: new RunTracker(clock),
      hostRunId: 'r1-a1',
      pool: { connectUntil: async () => undefined, lastError: new Error('connect ETIMEDOUT') },
    } as unknown as RunContext;
    const wait = { prepared: {} as never, base: { diff: { files: [], live: [] }, steps: [] }, reason: 'the host did not answer after the apply' };

    const outcome = await awaitRestore(ctx, wait, 0);

    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toBe('the host did not answer after the apply; still unreachable after the rollback deadline: connect ETIMEDOUT');
    expect(outcome.rollback).toEqual({ armedSeconds: 90, triggered: true, unconfirmed: 'host unreachable' });
    expect(outcome.verification.checks).toEqual([{ name: 'new configuration', ok: false, detail: 'not verified: presumed restored by its on-host timer, not confirmed (host unreachable)' }]);
  });
});
