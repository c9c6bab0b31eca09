import type { BridgeBackend } from '@hostnet/intent/domain/host-network-intent';
import type { RenderTargetId } from '../domain/rendered-config';
import type { HostOsFacts } from '../domain/host-os-facts';
import { UnsupportedBackendError, UnsupportedHostOsError } from '../domain/render-errors';

/** Human-readable list of what selection can return, quoted in every unsupported-OS error. */
export const SUPPORTED_HOST_OS: readonly string[] = [
  'EL 7 (network-scripts)',
  'EL 8 (network-scripts if installed, else NetworkManager)',
  'EL 9+ (NetworkManager keyfiles; Open vSwitch through NetworkManager\'s OVS plugin)',
  'Debian/Ubuntu with ifupdown or ifupdown2 and no netplan',
  'Ubuntu 18.04+ / Debian with netplan rendering for systemd-networkd',
];

const EL_IDS = ['rhel', 'centos', 'rocky', 'almalinux', 'ol', 'fedora', 'scientific', 'cloudlinux'];
const DEBIAN_IDS = ['debian', 'ubuntu'];

type Family = 'el' | 'debian';

function familyOf(facts: HostOsFacts): Family | undefined {
  const ids = [facts.osRelease.id, ...facts.osRelease.idLike].map((s) => s.toLowerCase());
  if (ids.some((id) => EL_IDS.includes(id))) return 'el';
  if (ids.some((id) => DEBIAN_IDS.includes(id))) return 'debian';
  return undefined;
}

function majorVersion(versionId: string): number {
  const match = /^(\d+)/.exec(versionId);
  return match ? Number(match[1]) : NaN;
}

/** Ubuntu VERSION_ID "18.04" → 1804 for ordered comparison. */
function ubuntuVersion(versionId: string): number {
  const match = /^(\d+)\.(\d+)/.exec(versionId);
  return match ? Number(match[1]) * 100 + Number(match[2]) : NaN;
}

function selectEl(facts: HostOsFacts, backend: BridgeBackend): RenderTargetId {
  const major = majorVersion(facts.osRelease.versionId);
  const unsupported = (reason: string) => new UnsupportedHostOsError(facts.osRelease, reason, SUPPORTED_HOST_OS);
  if (Number.isNaN(major)) throw unsupported('VERSION_ID has no major version');
  // Fedora numbers its releases differently; it has had NetworkManager-only networking since long before 2020.
  const networkScriptsUsable = facts.hasNetworkScriptsDir && facts.hasNetworkScriptsIfup;
  const isFedora = facts.osRelease.id.toLowerCase() === 'fedora';
  if (!isFedora && major < 7) throw unsupported('EL releases before 7 are not supported');
  if (!isFedora && major === 7) {
    if (!networkScriptsUsable) throw unsupported('EL 7 without network-scripts (/etc/sysconfig/network-scripts/ifup-eth)');
    return backend === 'ovs' ? 'el-network-scripts-ovs' : 'el-network-scripts-linux';
  }
  if (!isFedora && major === 8 && networkScriptsUsable) {
    return backend === 'ovs' ? 'el-network-scripts-ovs' : 'el-network-scripts-linux';
  }
  if (!facts.hasNetworkManager) throw unsupported('EL 8+ without network-scripts needs NetworkManager');
  if (backend === 'ovs' && !facts.hasNetworkManagerOvs) {
    throw new UnsupportedBackendError(
      "backend ovs: NetworkManager's OVS plugin is not installed (libnm-device-plugin-ovs.so), so NetworkManager cannot " +
        'activate OVS profiles; install NetworkManager-ovs and restart NetworkManager, or choose backend linux',
    );
  }
  return backend === 'ovs' ? 'networkmanager-ovs' : 'networkmanager-linux';
}

function selectDebian(facts: HostOsFacts, backend: BridgeBackend): RenderTargetId {
  const isUbuntu = facts.osRelease.id.toLowerCase() === 'ubuntu';
  const netplanOk = facts.hasNetplan && (!isUbuntu || ubuntuVersion(facts.osRelease.versionId) >= 1804);
  if (netplanOk && facts.hasNetworkManager && facts.netplanNetworkManager) {
    // hostnet's netplan file names networkd for the whole host: NetworkManager would lose every device it ran
    throw new UnsupportedHostOsError(
      facts.osRelease,
      `netplan hands this host's devices to NetworkManager (renderer: NetworkManager in ${facts.netplanNetworkManager}), and hostnet renders netplan for ` +
        "systemd-networkd only (its NetworkManager targets do not take the profiles netplan generates for NetworkManager); fix: hand the host's " +
        `network to systemd-networkd (remove that renderer line, or the file, and any NetworkManager profile for the NICs hostnet manages, then netplan apply), then run the host again`,
      SUPPORTED_HOST_OS,
    );
  }
  if (netplanOk) return backend === 'ovs' ? 'netplan-ovs' : 'netplan-linux';
  if (facts.hasIfupdown || facts.hasIfupdown2) {
    return backend === 'ovs' ? 'debian-ifupdown-ovs' : 'debian-ifupdown-linux';
  }
  throw new UnsupportedHostOsError(
    facts.osRelease,
    'neither netplan (Ubuntu 18.04+) nor ifupdown/ifupdown2 is installed',
    SUPPORTED_HOST_OS,
  );
}

/**
 * Picks the configuration system to write for a host from its facts and the bridge backend.
 * Pure: the same facts always give the same target or the same error.
 */
export function selectTarget(facts: HostOsFacts, backend: BridgeBackend): RenderTargetId {
  if (backend !== 'linux' && backend !== 'ovs') {
    throw new UnsupportedBackendError(`backend ${JSON.stringify(backend)}: use "linux" or "ovs"`);
  }
  if (backend === 'ovs' && !facts.hasOpenvswitch) {
    throw new UnsupportedBackendError(
      'backend ovs: openvswitch is not installed on the host (no ovs-vsctl/ovs-vswitchd); install openvswitch ' +
        '(openvswitch-switch on Debian/Ubuntu) or choose backend linux',
    );
  }
  const family = familyOf(facts);
  if (family === 'el') return selectEl(facts, backend);
  if (family === 'debian') return selectDebian(facts, backend);
  throw new UnsupportedHostOsError(facts.osRelease, 'unknown distribution', SUPPORTED_HOST_OS);
}
