import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent, centosOvsIntent } from '../../test/fixtures/reference-intents';
import { renderHost, renderTargetsOf } from '../render-host';

/** A blank host as facts see it with OVS installed and stopped: its NICs, no bridge (OVS's would not show either). */
const blank = (intent: typeof centosOvsIntent): LiveState => ({ ...expectedLiveState(intent), links: intent.nics.map((n) => ({ name: n.name, kind: 'nic' as const, up: true })) });

describe('ovs-database guard: an OVS run on a host whose Open vSwitch does not answer', () => {
  it('is refused on every OVS target before any step, naming the cause and the unit to start', () => {
    for (const target of renderTargetsOf('ovs')) {
      const config = renderHost(centosOvsIntent, target, { live: blank(centosOvsIntent), previous: undefined, ovsDatapathType: 'netdev', openvswitchDown: true });
      const unit = target.startsWith('debian-') || target.startsWith('netplan-') ? 'openvswitch-switch' : 'openvswitch';
      expect([target, config.steps, config.undoSteps, config.refusal]).toEqual([
        target,
        [],
        [],
        'OvsDatabaseDownError: Open vSwitch is installed but its database does not answer (ovs-vsctl could not reach ovsdb-server), so this Open vSwitch run could not make its bridges, nothing was changed; ' +
          `fix: start it (systemctl enable --now ${unit}, so it also starts at boot) and run the host again`,
      ]);
    }
  });

  it('runs once it answers, and a Linux-bridge run does not need it', () => {
    expect(renderHost(centosOvsIntent, 'el-network-scripts-ovs', { live: blank(centosOvsIntent), ovsDatapathType: 'netdev', openvswitchDown: false }).refusal).toBeUndefined();
    for (const target of renderTargetsOf('linux')) {
      expect([target, renderHost(centosLinuxBridgeIntent, target, { live: blank(centosLinuxBridgeIntent), openvswitchDown: true }).refusal]).toEqual([target, undefined]);
    }
  });
});
