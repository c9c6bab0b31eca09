import type { HostFile } from '@hostnet/apply';
import type { LiveState } from '@hostnet/intent';
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

/**
 * The named devices the host has neither before the run nor after it (`after`: the state the run verified;
 * the render guard refuses deleting one it had): the agent runs on while it runs, and would not start again.
 */
export function missingAgentDevices(devices: readonly AgentDevice[], before: LiveState, after: LiveState): AgentDevice[] {
  const present = new Set([...before.links, ...after.links].map((l) => l.name));
  return devices.filter((d) => !present.has(d.device));
}

/** What a missing device means for the agent, and the fix; `restart` also says hostnet did not restart it. */
export function missingAgentDevicesText(missing: readonly AgentDevice[], restart: boolean): string {
  const named = missing.map((d) => `${d.device} (${d.key})`).join(', ');
  const one = missing.length === 1;
  return (
    `${AGENT_PROPERTIES_PATH} names ${named}, which the host does not have, before this run or after it (not this run's doing): ` +
    `a running cloudstack-agent keeps working, but it would not start again ("Failed to get private nic name" / "public")` +
    `${restart ? ', so hostnet did not restart it' : ''}; fix: edit ${AGENT_PROPERTIES_PATH} so ${missing.map((d) => d.key).join(', ')} name${one ? 's' : ''} ` +
    `the zone's current label bridge${one ? '' : 's'} (or move the labels with the agent by \`hostnet relabel\`), then restart cloudstack-agent`
  );
}
