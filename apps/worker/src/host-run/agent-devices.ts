import type { HostFile } from '@hostnet/apply';
import { AGENT_PROPERTIES_PATH, agentDevices, rewriteAgentProperties, type AgentDevice } from '@hostnet/render';

/**
 * The devices the host's agent.properties names once the run has written it (a relabel step's renames
 * applied, as withAgentProperties writes them). Empty when the host has none, or one too large for facts to
 * read (a relabel refuses that file itself; agent.properties is a page of text on a real host).
 */
export function agentDevicesAfterRun(file: HostFile | undefined, renames?: ReadonlyMap<string, string>): AgentDevice[] {
  if (file?.content === undefined) return [];
  return agentDevices(renames && renames.size > 0 ? rewriteAgentProperties(file.content, renames) : file.content);
}
