import { createHash } from 'node:crypto';
import type { HostFacts } from '@hostnet/apply';
import { deepFreeze } from '@hostnet/contracts';
import type { AgentDevice, RenderedConfig, RenderTargetId } from '@hostnet/render';

/** What a host's configuration is rendered from; renderHost is a pure function of these. */
export interface RenderInputs {
  hostId: string;
  /** Names the intent: api stores each spec by the hash of its content, and the worker checks it on read. */
  specHash: string;
  target: RenderTargetId;
  ovsDatapathType: string;
  facts: Pick<HostFacts, 'live' | 'files'>;
  /** What agent.properties names after the run (a relabel step's renames applied to the file facts read). */
  agentDevices?: readonly AgentDevice[];
  /** Open vSwitch installed but its database not answering: facts' live state and files can be the same either way. */
  openvswitchDown?: boolean;
}

/**
 * The configuration last rendered for each host, kept with the inputs it came from. A re-run of a configured
 * host (a zone's no-op pass, a drift check) brings the same spec and the same facts, and gets the same
 * configuration without rendering it again (renderHost is the worker's costliest own step of a run). Not the
 * first re-run after a change: its facts are the changed host's, not those the change was rendered from. Kept configs
 * are frozen: a caller that changed one would change the next run's, so it throws instead.
 */
export class RenderMemo {
  private readonly byHost = new Map<string, { key: string; config: RenderedConfig }>();

  constructor(private readonly maxHosts = 2_000) {}

  get(inputs: RenderInputs, render: () => RenderedConfig): RenderedConfig {
    const key = renderKey(inputs);
    const kept = this.byHost.get(inputs.hostId);
    this.byHost.delete(inputs.hostId);
    if (kept?.key === key) {
      this.byHost.set(inputs.hostId, kept);
      return kept.config;
    }
    const config = deepFreeze(render());
    this.byHost.set(inputs.hostId, { key, config });
    if (this.byHost.size > this.maxHosts) this.byHost.delete(this.byHost.keys().next().value!);
    return config;
  }
}

/** Files by their hashes, not their text: a file's sha256 stands for its content. */
function renderKey({ specHash, target, ovsDatapathType, facts, agentDevices, openvswitchDown }: RenderInputs): string {
  const hash = createHash('sha256').update(`${specHash}\0${target}\0${ovsDatapathType}\0`).update(JSON.stringify(facts.live)).update(`\0${JSON.stringify(agentDevices ?? [])}\0${openvswitchDown === true ? 'ovs-down' : ''}`);
  for (const path of [...facts.files.keys()].sort()) {
    const f = facts.files.get(path)!;
    hash.update(`\0${path}\0${f.sha256}\0${f.size}\0${f.mode}\0${f.symlink ? 'l' : 'f'}\0${f.content === undefined ? 'n' : 'c'}`);
  }
  return hash.digest('hex');
}
