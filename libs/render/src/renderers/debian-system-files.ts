import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { FilePlan, PlannedFile } from '../domain/file-plan';
import type { ApplyStep } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { textFile } from '../format/text-file';

/** Drop-in rather than /etc/modules, which holds the distro's and the admin's own modules. */
export const MODULES_LOAD_PATH = '/etc/modules-load.d/hostnet.conf';
/** Drop-in rather than /etc/sysctl.conf: hostnet owns the whole file and never edits the distro's. */
export const BRIDGE_SYSCTL_PATH = '/etc/sysctl.d/60-hostnet-bridge.conf';
/** Drop-in rather than appending to the distro's /etc/modprobe.d/blacklist.conf. */
export const BRIDGE_BLACKLIST_PATH = '/etc/modprobe.d/hostnet-blacklist-bridge.conf';

/**
 * Modules the configuration needs at boot (the reference's bonding / bridge lines), as a drop-in that
 * systemd-modules-load reads beside /etc/modules: that file stays the admin's, untouched. Nothing to
 * load (OVS without bonds) means the drop-in must not exist.
 */
export function modulesLoad(intent: HostNetworkIntent): FilePlan {
  const modules = [...(intent.bonds.length > 0 ? ['bonding'] : []), ...(intent.backend === 'linux' ? ['bridge'] : [])];
  if (modules.length === 0) return { files: [], removes: [MODULES_LOAD_PATH] };
  return { files: [{ path: MODULES_LOAD_PATH, content: () => textFile(modules), mode: 0o644 }], removes: [] };
}

/** Bridged guest traffic must not traverse the host's iptables (reference lines, verbatim). */
export function bridgeSysctl(): PlannedFile {
  const lines = () => ['ip6tables', 'iptables', 'arptables'].map((t) => `net.bridge.bridge-nf-call-${t} = 0`);
  return { path: BRIDGE_SYSCTL_PATH, content: () => textFile(lines()), mode: 0o644 };
}

/** OVS-only hosts keep the linux bridge module out so cloud0 is created on OVS too. */
export function bridgeBlacklist(): PlannedFile {
  return { path: BRIDGE_BLACKLIST_PATH, content: () => textFile(['blacklist bridge']), mode: 0o644 };
}

/** `-e`: the keys exist only once br_netfilter is loaded; a missing key must not fail the apply. */
export function sysctlStep(): ApplyStep {
  return { name: 'sysctl-bridge', argv: ['sysctl', '-e', '-p', BRIDGE_SYSCTL_PATH], phase: 'activate' };
}

/** One command, so the management link is never left down between two SSH round trips. */
export function ifupdownActivateStep(options: RenderOptions): ApplyStep {
  return options.ifupdown2
    ? { name: 'ifreload', argv: ['ifreload', '-a'], phase: 'activate' }
    : { name: 'networking-restart', argv: ['service', 'networking', 'restart'], phase: 'activate' };
}

/** `post-up` lines for the intent's static routes leaving through `dev` (values are validated). */
export function routeLines(intent: HostNetworkIntent, dev: string): string[] {
  return intent.routes.filter((r) => r.dev === dev).map((r) => `post-up ip route replace ${r.to} via ${r.via} dev ${r.dev}`);
}

/** An interfaces-file `mtu` line, when the device has an MTU. */
export const mtuLine = (mtu: number | undefined): string[] => (mtu === undefined ? [] : [`mtu ${mtu}`]);

/** The loopback stanza and the reference's comments, shared by both ifupdown renderers. */
export const LOOPBACK_STANZA = ['# The loopback network interface', 'auto lo', 'iface lo inet loopback'];
export const PRIMARY_COMMENT = '# The primary network interface';
