import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import { centosLinuxBridgeIntent, centosOvsIntent } from '../../test/fixtures/reference-intents';
import { renameBridge } from '../../test/support/intent-variants';
import { ovsLiveOf } from '../../test/support/ovs-live-of';
import { agentDevices } from '../agent/agent-properties';
import { renderHost, renderTargetsOf } from '../render-host';
import { refuseRetiringAgentDevices } from './agent-devices.guard';

/** agent.properties as cloudstack-setup-agent left it when the host was added, before the labels moved by hand. */
const PROPS = ['workers=5', 'private.network.device=cloudbr0', 'public.network.device=cloudbr1', 'guest.network.device=cloudbr1', ''].join('\n');

describe('agent-devices guard: a run never deletes a device agent.properties names', () => {
  it('reads each key\'s last entry, as java.util.Properties does; empty values and other keys name nothing', () => {
    const text = ['guest.network.device=cloudbr0', 'guest.network.device = cloudbr7', 'public.network.device=', '#private.network.device=cloudbr9', 'private.bridge.name=cloud0'].join('\n');
    expect(agentDevices(text)).toEqual([{ key: 'guest.network.device', device: 'cloudbr7' }]);
  });

  it("labels moved to cloudbr9 by hand: retiring hostnet's cloudbr1 is refused on every Linux target, naming the keys, the bridge and the fix", () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const renamed = renameBridge(centosLinuxBridgeIntent, 'cloudbr1', 'cloudbr9');
    for (const target of renderTargetsOf('linux')) {
      const config = renderHost(renamed, target, { live, previous: live, agentDevices: agentDevices(PROPS) });
      expect([target, config.steps, config.undoSteps]).toEqual([target, [], []]);
      expect(config.refusal).toBe(
        'AgentDeviceRetiredError: /etc/cloudstack/agent/agent.properties names cloudbr1 (public.network.device, guest.network.device), and this run would delete it ' +
          "(hostnet made it, and the zone's traffic labels no longer name it): the cloudstack-agent reads those keys at its start and would not start again " +
          '("Failed to get private nic name" / "public"), nothing was changed; fix: move the labels with the agent by `hostnet relabel` (it rewrites agent.properties in the same run), ' +
          "or edit /etc/cloudstack/agent/agent.properties so public.network.device, guest.network.device name the zone's current label bridges (and restart cloudstack-agent), then run the host again",
      );
    }
  });

  it('OVS: the retired cloudbr1 bridge the same', () => {
    const renamed = renameBridge(centosOvsIntent, 'cloudbr1', 'cloudbr9');
    for (const target of renderTargetsOf('ovs')) {
      const config = renderHost(renamed, target, { live: ovsLiveOf(centosOvsIntent), previous: expectedLiveState(centosOvsIntent), ovsDatapathType: 'netdev', agentDevices: agentDevices(PROPS) });
      expect([target, config.refusal]).toEqual([target, expect.stringMatching(/^AgentDeviceRetiredError: .*names cloudbr1 \(public\.network\.device, guest\.network\.device\)/)]);
    }
  });

  it('runs when agent.properties names the new bridges (a relabel rewrote them), names nothing retired, or the host has none', () => {
    const live = expectedLiveState(centosLinuxBridgeIntent);
    const renamed = renameBridge(centosLinuxBridgeIntent, 'cloudbr1', 'cloudbr9');
    const moved = agentDevices(PROPS.replace(/=cloudbr1/g, '=cloudbr9'));
    for (const agent of [moved, [], undefined]) {
      expect(renderHost(renamed, 'el-network-scripts-linux', { live, previous: live, ...(agent ? { agentDevices: agent } : {}) }).refusal).toBeUndefined();
    }
    expect(() => refuseRetiringAgentDevices(['bond1'], [{ key: 'guest.network.device', device: 'bond1' }])).toThrow(/names bond1 \(guest\.network\.device\)/);
  });
});
