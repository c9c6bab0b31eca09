/**
 * What hostnet knows about a host's OS and network tooling, gathered by the facts step
 * (os-release plus a few file/binary presence checks). Pure data; selection reads nothing else.
 */
export interface HostOsFacts {
  /** os-release fields, verbatim (ID_LIKE split on whitespace). */
  osRelease: { id: string; idLike: string[]; versionId: string };
  /** /etc/sysconfig/network-scripts exists. */
  hasNetworkScriptsDir: boolean;
  /** The network-scripts package's ifup is installed (/etc/sysconfig/network-scripts/ifup-eth). */
  hasNetworkScriptsIfup: boolean;
  /** /usr/sbin/netplan exists. */
  hasNetplan: boolean;
  /** NetworkManager is installed. */
  hasNetworkManager: boolean;
  /** The netplan file that hands the host's devices to NetworkManager (`renderer: NetworkManager`), when one does. */
  netplanNetworkManager?: string;
  /** NetworkManager's OVS device plugin is installed (NetworkManager-ovs on EL): without it no OVS profile activates. */
  hasNetworkManagerOvs: boolean;
  /** Classic Debian ifupdown is installed. */
  hasIfupdown: boolean;
  /** ifupdown2 is installed (provides ifreload). */
  hasIfupdown2: boolean;
  /** openvswitch (ovs-vsctl + ovs-vswitchd) is installed. */
  hasOpenvswitch: boolean;
}
