import type { HostFacts } from '@hostnet/apply';
import { netplanNetworkManagerFile, type HostOsFacts } from '@hostnet/render';

/** The OS/tooling view target selection needs, read off one facts round trip. */
export function hostOsFacts(facts: HostFacts): HostOsFacts {
  const has = (tool: string) => tool in facts.tools;
  return {
    osRelease: {
      id: facts.osRelease['ID'] ?? '',
      idLike: (facts.osRelease['ID_LIKE'] ?? '').split(/\s+/).filter(Boolean),
      versionId: facts.osRelease['VERSION_ID'] ?? '',
    },
    hasNetworkScriptsDir: facts.networkScriptsDir,
    hasNetworkScriptsIfup: facts.networkScriptsDir && has('ifup'),
    hasNetplan: has('netplan'),
    hasNetworkManager: has('nmcli'),
    netplanNetworkManager: netplanNetworkManagerFile(facts.files),
    hasNetworkManagerOvs: facts.nmOvsPlugin,
    hasIfupdown: has('ifup') && !facts.ifupdown2,
    hasIfupdown2: facts.ifupdown2,
    hasOpenvswitch: facts.ovsPresent || has('ovs-vsctl'),
  };
}
