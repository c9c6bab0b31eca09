import { parseNetplanYaml } from '../foreign/netplan-yaml';
import type { PreviousFile } from '../activation/activation-steps';
import { netplanPaths } from '../foreign/netplan-names';

/**
 * The netplan file whose `network: renderer: NetworkManager` netplan follows (the last one in its order that
 * names a renderer: Ubuntu desktop's 01-network-manager-all.yaml), when one does. A file that does not read is
 * left to the render, which refuses it by name. A file shadowed only by a /run one counts before it: what runs
 * after a reboot is as much the host's.
 * hostnet's own file on the host counts as any other: its `renderer: networkd` is netplan's for every device
 * when it comes last (netplan 0.106's generate, seen on the CI machine: 01-network-manager-all.yaml beside
 * 60-hostnet.yaml writes networkd files for every device, even one the 01 file defines, puts them on
 * NetworkManager's deny-list and no 10-globally-managed-devices.conf). On a host hostnet configured the 01 file
 * hands NetworkManager nothing, and a re-run is not refused for it; a first run (no hostnet file yet) is.
 */
export function netplanNetworkManagerFile(files: ReadonlyMap<string, PreviousFile>): string | undefined {
  let chosen: { renderer: unknown; path: string } | undefined;
  for (const path of netplanPaths(files.keys()).read) {
    const content = files.get(path)?.content;
    if (content === undefined) continue;
    let renderer: unknown;
    try {
      renderer = (parseNetplanYaml(content) as { network?: { renderer?: unknown } } | null)?.network?.renderer;
    } catch {
      continue;
    }
    if (renderer !== undefined) chosen = { renderer, path };
  }
  return chosen?.renderer === 'NetworkManager' ? chosen.path : undefined;
}
