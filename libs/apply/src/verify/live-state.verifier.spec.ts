import type { LiveState } from '@hostnet/intent';
import type { HostExpectation } from '../domain/workflow-plan';
import { verifyLiveState } from './live-state.verifier';
import { findPif } from './pif-rule';

const live: LiveState = {
  links: [
    { name: 'cloudbr0', kind: 'bridge', members: ['bond0', 'vnet0'] },
    { name: 'bond0', kind: 'bond', master: 'cloudbr0', members: ['eth0', 'eth1'] },
    { name: 'cloudbr1', kind: 'bridge', members: ['bond0.200'] },
    { name: 'bond0.200', kind: 'vlan', parent: 'bond0', vlanId: 200, master: 'cloudbr1' },
    { name: 'br-uplink', kind: 'bridge', members: ['uplink0', 'veth1'] },
  ],
  addresses: [{ dev: 'cloudbr0', address: '10.0.0.5', prefix: 24 }],
  routes: [{ to: 'default', via: '10.0.0.1', dev: 'cloudbr0' }],
};

const expectation: HostExpectation = {
  backend: 'linux',
  live: {
    links: [{ name: 'cloudbr0', kind: 'bridge', members: ['bond0'] }],
    addresses: [{ dev: 'cloudbr0', address: '10.0.0.5', prefix: 24 }],
    routes: [{ to: 'default', via: '10.0.0.1', dev: 'cloudbr0' }],
  },
  managementBridge: 'cloudbr0',
  managementAddress: '10.0.0.5',
  gateway: '10.0.0.1',
  labelBridges: ['cloudbr0', 'cloudbr1'],
};

describe('verifyLiveState', () => {
  it('passes when links, addresses, routes, management IP, gateway and pif rule hold', () => {
    const result = verifyLiveState(expectation, live, 'ok');
    expect(result.ok).toBe(true);
    expect(result.checks.map((c) => `${c.name}: ${c.detail}`)).toEqual([
      'link cloudbr0: bridge as expected',
      'address 10.0.0.5/24: on cloudbr0',
      'route default: via 10.0.0.1 dev cloudbr0',
      'management-address: 10.0.0.5 on cloudbr0',
      'gateway: ping 10.0.0.1: ok',
      'pif cloudbr0: pif bond0',
      'pif cloudbr1: pif bond0 (parent of bond0.200)',
    ]);
  });

  it('fails on an unanswered gateway, a management IP on the wrong device and a bridge without pif', () => {
    const moved = { ...live, addresses: [{ dev: 'bond0', address: '10.0.0.5', prefix: 24 }] };
    const result = verifyLiveState({ ...expectation, labelBridges: ['br-uplink'] }, moved, 'failed');
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`)).toEqual([
      'address 10.0.0.5/24: not on cloudbr0',
      'management-address: 10.0.0.5 is on bond0, expected cloudbr0',
      'gateway: ping 10.0.0.1: failed',
      "pif br-uplink: no port of br-uplink matches the agent's pif pattern (ports: uplink0, veth1)",
    ]);
  });

  it('treats a skipped ping (simulated host without ping) as passing', () => {
    expect(verifyLiveState(expectation, live, 'skipped no-ping').checks.find((c) => c.name === 'gateway')?.ok).toBe(true);
  });
});

describe('findPif', () => {
  it('matches the agent patterns (p1p1 style included) and checks OVS bridges by kind', () => {
    const ovs: LiveState = {
      links: [
        { name: 'cloudbr0', kind: 'ovs-bridge' },
        { name: 'cloudbr100', kind: 'ovs-fake-bridge', parent: 'cloudbr0', vlanId: 100 },
        { name: 'br9', kind: 'bridge', members: ['p2p1'] },
      ],
      addresses: [],
      routes: [],
    };
    expect(findPif(ovs, 'cloudbr100', 'ovs').ok).toBe(true);
    expect(findPif(ovs, 'br9', 'ovs')).toEqual({ ok: false, detail: 'br9 is not an OVS bridge (br-exists would fail)' });
    expect(findPif(ovs, 'br9', 'linux')).toEqual({ ok: true, detail: 'pif p2p1' });
    expect(findPif(ovs, 'nope', 'linux').ok).toBe(false);
  });
});

describe('verifyLiveState: a /32 route as iproute2 prints it', () => {
  it('passes the route check', () => {
    const withHostRoute: HostExpectation = { ...expectation, live: { ...expectation.live, routes: [...expectation.live.routes, { to: '10.1.1.5/32', via: '10.0.0.1', dev: 'cloudbr0' }] } };
    const printed: LiveState = { ...live, routes: [...live.routes, { to: '10.1.1.5', via: '10.0.0.1', dev: 'cloudbr0' }] };
    expect(verifyLiveState(withHostRoute, printed, 'ok').checks.find((c) => c.name === 'route 10.1.1.5/32')).toMatchObject({ ok: true });
  });
});

describe("verifyLiveState: a Linux bond's parameters", () => {
  it('fails the link whose bond runs another mode than the intent sets, naming the parameter, the live value and the intended one', () => {
    const want: HostExpectation = {
      ...expectation,
      live: { ...expectation.live, links: [{ name: 'bond0', kind: 'bond', members: ['eth0', 'eth1'], bond: { mode: '802.3ad', miimon: 100 } }] },
    };
    const running: LiveState = { ...live, links: live.links.map((l) => (l.name === 'bond0' ? { ...l, bond: { mode: 'active-backup', miimon: 100 } } : l)) };
    const result = verifyLiveState(want, running, 'ok');
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.name === 'link bond0')).toEqual({ name: 'link bond0', ok: false, detail: 'bond0 has bond mode active-backup, expected 802.3ad' });
    const fixed = { ...running, links: running.links.map((l) => (l.name === 'bond0' ? { ...l, bond: { mode: '802.3ad', miimon: 100 } } : l)) };
    expect(verifyLiveState(want, fixed, 'ok').checks.find((c) => c.name === 'link bond0')?.ok).toBe(true);
  });
});
