import type { HostFile } from '@hostnet/apply';
import type { LiveLink, LiveState } from '@hostnet/intent';
import { agentDevicesAfterRun, missingAgentDevices, missingAgentDevicesText } from './agent-devices';

const state = (...names: string[]): LiveState => ({ links: names.map((name): LiveLink => ({ name, kind: 'bridge' })), addresses: [], routes: [] });
const props = (content: string | undefined): HostFile => ({ path: '/etc/cloudstack/agent/agent.properties', sha256: 'x', size: content?.length ?? 99_999, mode: 0o644, ...(content === undefined ? {} : { content }) });
const SETUP = 'private.network.device=cloudbr0\npublic.network.device=cloudbr1\nguest.network.device=cloudbr0\n';

describe('agent devices: what agent.properties names after the run, and what the host lacks of it', () => {
  it('reads the file facts found; a relabel step names its renamed bridges; none when absent or unread', () => {
    expect(agentDevicesAfterRun(props(SETUP))).toEqual([
      { key: 'private.network.device', device: 'cloudbr0' },
      { key: 'public.network.device', device: 'cloudbr1' },
      { key: 'guest.network.device', device: 'cloudbr0' },
    ]);
    expect(agentDevicesAfterRun(props(SETUP), new Map([['cloudbr1', 'cloudbr5']]))[1]).toEqual({ key: 'public.network.device', device: 'cloudbr5' });
    expect(agentDevicesAfterRun(undefined)).toEqual([]);
    expect(agentDevicesAfterRun(props(undefined))).toEqual([]);
  });

  it('a device is missing only when the host had it neither before the run nor after it', () => {
    const devices = agentDevicesAfterRun(props(SETUP.replace('guest.network.device=cloudbr0', 'guest.network.device=cloudbr9')));
    expect(missingAgentDevices(devices, state('eth0'), state('cloudbr0', 'cloudbr1'))).toEqual([{ key: 'guest.network.device', device: 'cloudbr9' }]);
    expect(missingAgentDevices(devices, state('cloudbr9'), state('cloudbr0', 'cloudbr1'))).toEqual([]);
    expect(missingAgentDevicesText([{ key: 'guest.network.device', device: 'cloudbr9' }], true)).toBe(
      '/etc/cloudstack/agent/agent.properties names cloudbr9 (guest.network.device), which the host does not have, before this run or after it (not this run\'s doing): ' +
        'a running cloudstack-agent keeps working, but it would not start again ("Failed to get private nic name" / "public"), so hostnet did not restart it; ' +
        "fix: edit /etc/cloudstack/agent/agent.properties so guest.network.device names the zone's current label bridge (or move the labels with the agent by `hostnet relabel`), then restart cloudstack-agent",
    );
  });
});
