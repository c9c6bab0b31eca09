import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent as intent } from '../../test/fixtures/reference-intents';
import { renderHost } from '../render-host';
import { refuseLosingAddressing } from './lost-addressing.guard';

/** A host before its first run: the management address on eth0 with the kernel's subnet route, the zeroconf route, the default route. */
const blank: LiveState = {
  links: ['eth0', 'eth1', 'eth2', 'eth3', 'eth5'].map((name) => ({ name, kind: 'nic' as const, up: true })),
  addresses: [{ dev: 'eth0', address: '192.168.100.20', prefix: 24 }],
  routes: [
    { to: 'default', via: '192.168.100.1', dev: 'eth0' },
    { to: '192.168.100.0/24', dev: 'eth0' },
    { to: '169.254.0.0/16', dev: 'eth0' },
  ],
};
const refusal = (live: LiveState) => {
  try {
    refuseLosingAddressing(intent, live, undefined);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

describe('refuseLosingAddressing', () => {
  it('a blank host and a configured one lose nothing: the management address moves to cloudbr0, the default route is the intent\'s', () => {
    expect(refusal(blank)).toBeUndefined();
    expect(refusal(expectedLiveState(intent))).toBeUndefined();
    // another default route is replaced by the intent's on purpose; the storage address is kept (its prefix becomes CloudStack's)
    expect(refusal({ ...blank, addresses: [...blank.addresses, { dev: 'eth2', address: '10.0.100.20', prefix: 16 }], routes: [{ to: 'default', via: '192.168.100.254', dev: 'eth0' }] })).toBeUndefined();
  });

  it('refuses a second address, a static IPv6 one and a static route on devices the run makes ports, naming each', () => {
    const live: LiveState = {
      ...blank,
      addresses: [...blank.addresses, { dev: 'eth0', address: '192.168.100.21', prefix: 24 }],
      addresses6: [{ dev: 'eth0', address: '2001:db8::20', prefix: 64 }],
      routes: [...blank.routes, { to: '10.30.0.0/16', via: '192.168.100.254', dev: 'eth0' }, { to: '10.40.0.5', dev: 'eth2' }],
    };
    expect(refusal(live)).toBe(
      'this run would take away address 192.168.100.21/24 on eth0, address 2001:db8::20/64 on eth0, route 10.30.0.0/16 via 192.168.100.254 dev eth0, route 10.40.0.5 dev eth2: ' +
        "they sit on a device the run makes a bridge or bond port (or deletes), and the host's profile does not put them back (hostnet's profiles configure the management and storage addresses, the default route and no other), nothing was changed; " +
        'fix: move them to an interface the profile does not configure, or take them off the host if no longer needed, then run the host again',
    );
  });

  it('says the host reached may be another one when it holds another static management address and not the intent\'s (an SSH endpoint pointing at the wrong host)', () => {
    const neighbour: LiveState = { ...blank, addresses: [{ dev: 'eth0', address: '192.168.100.24', prefix: 24 }, { dev: 'eth2', address: '10.0.100.24', prefix: 24 }] };
    expect(refusal(neighbour)).toMatch(
      /nothing was changed; the host reached holds 192\.168\.100\.24\/24 on eth0 in the management network and not 192\.168\.100\.20, the address its intent names: if it is not the host you meant, check the SSH endpoint hostnet was given for it \(nothing here is for you to remove\); fix: if it is, move them/,
    );
    // a lease in the management network is the installer's DHCP, not another host: the refusal is as before
    expect(refusal({ ...blank, addresses: [{ dev: 'eth0', address: '192.168.100.40', prefix: 24, dynamic: true }, { dev: 'eth0', address: '192.168.100.41', prefix: 24 }] })).toMatch(/the host reached holds 192\.168\.100\.41\/24 on eth0/);
    expect(refusal({ ...blank, addresses: [...blank.addresses, { dev: 'eth0', address: '192.168.100.21', prefix: 24 }] })).not.toMatch(/the host reached/);
  });

  it('leaves alone what sits on interfaces the run does not configure, and routes the intent has itself', () => {
    const other: LiveState = {
      ...blank,
      addresses: [...blank.addresses, { dev: 'eth5', address: '172.16.0.5', prefix: 16 }],
      addresses6: [{ dev: 'eth5', address: '2001:db8::5', prefix: 64 }],
      routes: [...blank.routes, { to: '10.50.0.0/16', via: '172.16.0.1', dev: 'eth5' }],
    };
    expect(refusal(other)).toBeUndefined();
    const routed = { ...intent, routes: [{ to: '10.30.0.0/16', via: '192.168.100.254', dev: 'cloudbr0' }] };
    expect(() => refuseLosingAddressing(routed, { ...blank, routes: [...blank.routes, { to: '10.30.0.0/16', via: '192.168.100.254', dev: 'eth0' }] })).not.toThrow();
  });

  it('a configured host loses nothing, whatever else its bridges carry: nothing changes master (a VIP, a route set by hand)', () => {
    const configured = expectedLiveState(intent);
    const extra: LiveState = {
      ...configured,
      addresses: [...configured.addresses, { dev: 'cloudbr0', address: '192.168.100.99', prefix: 24 }],
      addresses6: [{ dev: 'cloudbr1', address: '2001:db8::9', prefix: 64 }],
      routes: [...configured.routes, { to: '10.30.0.0/16', via: '192.168.100.254', dev: 'cloudbr0' }],
    };
    expect(refusal(extra)).toBeUndefined();
  });

  it('leases and link-local addresses come back by themselves: a DHCP address and route, an avahi 169.254 address', () => {
    const leased: LiveState = {
      ...blank,
      addresses: [...blank.addresses, { dev: 'eth2', address: '10.20.0.7', prefix: 24, dynamic: true }, { dev: 'eth1', address: '169.254.7.7', prefix: 16 }],
      routes: [...blank.routes, { to: '10.21.0.0/16', via: '10.20.0.1', dev: 'eth2', dynamic: true }],
    };
    expect(refusal(leased)).toBeUndefined();
  });

  it("a device hostnet's last run made that the intent drops is deleted: what sits on it counts", () => {
    const live: LiveState = { ...expectedLiveState(intent), addresses: [...expectedLiveState(intent).addresses, { dev: 'cloudbr9', address: '10.9.9.9', prefix: 24 }] };
    live.links = [...live.links, { name: 'cloudbr9', kind: 'bridge', up: true }];
    const previous = { ...live, addresses: [], routes: [] };
    expect(() => refuseLosingAddressing(intent, live, previous)).toThrow(/^this run would take away address 10\.9\.9\.9\/24 on cloudbr9: /);
  });

  it('a run refused for it renders no step, with the refusal as its answer', () => {
    const live = { ...blank, addresses: [...blank.addresses, { dev: 'eth1', address: '10.9.0.5', prefix: 24 }] };
    const config = renderHost(intent, 'el-network-scripts-linux', { live });
    expect(config.steps).toEqual([]);
    expect(config.refusal).toMatch(/^LostAddressingError: this run would take away address 10\.9\.0\.5\/24 on eth1: /);
  });
});
