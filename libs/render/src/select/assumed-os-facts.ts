import type { HostOsFacts } from '../domain/host-os-facts';
import { RenderError } from '../domain/render-errors';

/**
 * Host facts for rendering offline (`hostnet render --os ID:VERSION`), when no host can be asked.
 * Each OS is assumed to have its stock network tooling plus openvswitch (so either backend can be
 * rendered; a live run reads the real facts instead):
 * - EL 7 (centos:7, rhel:7, …): network-scripts (ifup-eth) and NetworkManager;
 * - EL 8+ and Fedora (rocky:9, almalinux:8, …): NetworkManager only (network-scripts is an extra package);
 * - Ubuntu 18.04+ (ubuntu:22.04): netplan; Ubuntu before 18.04: classic ifupdown;
 * - Debian (debian:12): classic ifupdown, no netplan.
 */
export const ASSUMED_OS_TOOLS: readonly string[] = [
  'EL 7: network-scripts + NetworkManager + openvswitch',
  'EL 8+/Fedora: NetworkManager + its OVS plugin + openvswitch (no network-scripts)',
  'Ubuntu 18.04+: netplan + openvswitch',
  'Ubuntu < 18.04 and Debian: ifupdown + openvswitch',
];

const EL = ['rhel', 'centos', 'rocky', 'almalinux', 'ol', 'fedora', 'scientific', 'cloudlinux'];
const OS_SPEC = /^([a-z][a-z0-9._-]{0,31}):([0-9]{1,4}(?:\.[0-9]{1,4}){0,2})$/;

/** Parses `ID:VERSION_ID` (os-release values, e.g. `ubuntu:22.04`) into assumed facts; throws naming the flag. */
export function assumedOsFacts(spec: string, flag = '--os'): HostOsFacts {
  const match = OS_SPEC.exec(spec);
  if (!match) throw new RenderError(`${flag} ${JSON.stringify(spec)}: write os-release ID:VERSION_ID, e.g. centos:7, rocky:9, ubuntu:22.04, debian:12`);
  const [, id, versionId] = match as unknown as [string, string, string];
  if (id === 'ubuntu' && !/^\d{2}\.\d{2}$/.test(versionId)) {
    throw new RenderError(`${flag} ${JSON.stringify(spec)}: Ubuntu's VERSION_ID is YY.MM, e.g. ubuntu:22.04`);
  }
  const [major, minor = 0] = versionId.split('.').map(Number) as [number, number?];
  const el = EL.includes(id);
  const el7 = el && id !== 'fedora' && major === 7;
  const ubuntuNetplan = id === 'ubuntu' && major * 100 + minor >= 1804;
  return {
    osRelease: { id, idLike: [], versionId },
    hasNetworkScriptsDir: el7,
    hasNetworkScriptsIfup: el7,
    hasNetplan: ubuntuNetplan,
    hasNetworkManager: el,
    hasNetworkManagerOvs: el,
    hasIfupdown: !el && !ubuntuNetplan,
    hasIfupdown2: false,
    hasOpenvswitch: true,
  };
}
