import type { RenderedConfig, RenderedFile } from '../domain/rendered-config';
import { RenderError } from '../domain/render-errors';
import { assertIfName } from '../validation/render-guard';

/** The CloudStack KVM agent's configuration; hostnet's one place that touches it (docs/relabel.md §1). */
export const AGENT_PROPERTIES_PATH = '/etc/cloudstack/agent/agent.properties';

/** The keys the agent maps bridges from at its start (LibvirtComputingResource.configure). */
const DEVICE_KEY = /^(\s*)((?:private|public|guest)\.network\.device)(\s*[=:]\s*)([^\s\r]*)(\s*)$/;

/** A `*.network.device` key of agent.properties. */
export type AgentDeviceKey = 'private.network.device' | 'public.network.device' | 'guest.network.device';

/** A device agent.properties names: the agent maps it at its start and does not start without it. */
export interface AgentDevice {
  key: AgentDeviceKey;
  device: string;
}

/**
 * The devices agent.properties names, each key's last entry as java.util.Properties reads it (a later entry
 * wins); a key with no entry or an empty value names nothing. An absent key is left out rather than taken
 * as the agent's default (cloudbr0/cloudbr1): cloudstack-setup-agent writes all three when the host is
 * added, so a file without them is one of a host CloudStack has not set up, whose agent does not run.
 */
export function agentDevices(content: string): AgentDevice[] {
  const byKey = new Map<AgentDeviceKey, string>();
  for (const line of content.split('\n')) {
    const m = DEVICE_KEY.exec(line);
    if (m) byKey.set(m[2] as AgentDeviceKey, m[4]);
  }
  return [...byKey].filter(([, device]) => device !== '').map(([key, device]) => ({ key, device }));
}

/** The host's agent.properties as facts read it (absent: the host has none). */
export interface AgentPropertiesFile {
  content?: string;
  mode: number;
}

/**
 * agent.properties with every `private|public|guest.network.device` entry naming a bridge of `renames`
 * (from → to) pointed at the other name; every other line (and byte) as it was. Entries naming anything
 * else are the operator's and stay.
 */
export function rewriteAgentProperties(content: string, renames: ReadonlyMap<string, string>): string {
  for (const [from, to] of renames) {
    assertIfName('relabel rename from', from);
    assertIfName('relabel rename to', to);
  }
  return content
    .split('\n')
    .map((line) => {
      const m = DEVICE_KEY.exec(line);
      const to = m ? renames.get(m[4]) : undefined;
      return m && to !== undefined ? `${m[1]}${m[2]}${m[3]}${to}${m[5]}` : line;
    })
    .join('\n');
}

/**
 * Adds the rewritten agent.properties to a rendered config, as one more file of the run's transaction
 * (backed up, restored by a rollback). Nothing when the host has no agent.properties or nothing in it
 * names a renamed bridge. Throws when the file is too large for facts to have read it.
 */
export function withAgentProperties(config: RenderedConfig, file: AgentPropertiesFile | undefined, renames: ReadonlyMap<string, string>): RenderedConfig {
  if (!file || renames.size === 0) return config;
  if (file.content === undefined) {
    throw new RenderError(`${AGENT_PROPERTIES_PATH}: too large for hostnet to read, so its *.network.device entries cannot be rewritten; fix: trim the file or set them by hand`);
  }
  const content = rewriteAgentProperties(file.content, renames);
  if (content === file.content) return config;
  const rewritten: RenderedFile = { path: AGENT_PROPERTIES_PATH, content, mode: file.mode };
  return { ...config, files: [...config.files.filter((f) => f.path !== AGENT_PROPERTIES_PATH), rewritten] };
}

/** The config without the agent's files: the network restore re-activates interfaces, never for agent.properties. */
export function networkFilesOnly(config: RenderedConfig): RenderedConfig {
  return { ...config, files: config.files.filter((f) => f.path !== AGENT_PROPERTIES_PATH) };
}
