import { AGENT_PROPERTIES_PATH, type AgentDevice } from '../agent/agent-properties';
import { AgentDeviceRetiredError } from '../domain/render-errors';

/**
 * Refuses a run that would delete a device agent.properties names. The zone's labels can change in CloudStack
 * by hand after a host was added; a normal run then builds the new label bridges and retires the old ones it
 * made, while the agent's `*.network.device` keys still name them: the agent runs on until its next start,
 * which fails. Only a relabel moves those keys with the layout (it passes them as it rewrites them).
 */
export function refuseRetiringAgentDevices(retired: readonly string[], agentDevices: readonly AgentDevice[] | undefined): void {
  const going = new Set(retired);
  const named = (agentDevices ?? []).filter((d) => going.has(d.device));
  if (named.length > 0) throw new AgentDeviceRetiredError(AGENT_PROPERTIES_PATH, named);
}
