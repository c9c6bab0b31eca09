import type { HostFile } from '@hostnet/apply';
import { agentDevicesAfterRun } from './agent-devices';

const props = (content: string | undefined): HostFile => ({ path: '/etc/cloudstack/agent/agent.properties', sha256: 'x', size: content?.length ?? 99_999, mode: 0o644, ...(content === undefined ? {} : { content }) });
const SETUP = 'private.network.device=cloudbr0\npublic.network.device=cloudbr1\nguest.network.device=cloudbr0\n';

describe('agent devices: what agent.properties names after the run', () => {
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
});
