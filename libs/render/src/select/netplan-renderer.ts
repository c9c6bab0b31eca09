import { parse } from 'yaml';
import type { PreviousFile } from '../activation/activation-steps';
import { netplanPaths } from '../foreign/netplan-names';
import { NETPLAN_PATH } from '../renderers/netplan.renderer';

/**
 * The netplan file whose `network: renderer: NetworkManager` netplan follows (the last one in its order that
 * names a renderer: Ubuntu desktop's 01-network-manager-all.yaml), when one does; hostnet's own file, which
 * names networkd, left out. A file that does not read is left to the render, which refuses it by name.
 * A file shadowed only by a /run one counts before it: what runs after a reboot is as much the host's.
 */
export function netplanNetworkManagerFile(files: ReadonlyMap<string, PreviousFile>): string | undefined {
  let chosen: { renderer: unknown; path: string } | undefined;
  for (const path of netplanPaths(files.keys()).read) {
    const content = files.get(path)?.content;
    if (path === NETPLAN_PATH || content === undefined) continue;
    let renderer: unknown;
    try {
      renderer = (parse(content) as { network?: { renderer?: unknown } } | null)?.network?.renderer;
    } catch {
      continue;
    }
    if (renderer !== undefined) chosen = { renderer, path };
  }
  return chosen?.renderer === 'NetworkManager' ? chosen.path : undefined;
}
