import { createHash } from 'node:crypto';
import type { LiveState } from '@hostnet/intent';

/** Operating systems a simulated KVM host can claim to run. */
export type KvmHostPersona = 'centos7' | 'rocky9' | 'ubuntu2204' | 'ubuntu2404' | 'debian12';

/** Everything a persona contributes to a host's root directory. */
export interface PersonaSeed {
  /** Relative path → content (and mode, default 0644). */
  files: Array<{ path: string; content: string; mode?: number }>;
  dirs: string[];
  /** Stand-in commands this OS has (see kvm-host-standins.ts). */
  tools: string[];
}

/** Management addressing of a simulated host (CIDR on the first NIC, default gateway). */
export interface ManagementAddressing {
  nic: string;
  address: string;
  prefix: number;
  gateway: string;
}

const OS_RELEASE: Record<KvmHostPersona, string> = {
  centos7: `NAME="CentOS Linux"
VERSION="7 (Core)"
ID="centos"
ID_LIKE="rhel fedora"
VERSION_ID="7"
PRETTY_NAME="CentOS Linux 7 (Core)"
ANSI_COLOR="0;31"
CPE_NAME="cpe:/o:centos:centos:7"
HOME_URL="https://www.centos.org/"
BUG_REPORT_URL="https://bugs.centos.org/"

CENTOS_MANTISBT_PROJECT="CentOS-7"
CENTOS_MANTISBT_PROJECT_VERSION="7"
REDHAT_SUPPORT_PRODUCT="centos"
REDHAT_SUPPORT_PRODUCT_VERSION="7"

`,
  rocky9: `NAME="Rocky Linux"
VERSION="9.4 (Blue Onyx)"
ID="rocky"
ID_LIKE="rhel centos fedora"
VERSION_ID="9.4"
PLATFORM_ID="platform:el9"
PRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"
ANSI_COLOR="0;32"
LOGO="fedora-logo-icon"
CPE_NAME="cpe:/o:rocky:rocky:9::baseos"
HOME_URL="https://rockylinux.org/"
BUG_REPORT_URL="https://bugs.rockylinux.org/"
SUPPORT_END="2032-05-31"
ROCKY_SUPPORT_PRODUCT="Rocky-Linux-9"
ROCKY_SUPPORT_PRODUCT_VERSION="9.4"
REDHAT_SUPPORT_PRODUCT="Rocky Linux"
REDHAT_SUPPORT_PRODUCT_VERSION="9.4"
`,
  ubuntu2204: `PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=jammy
`,
  ubuntu2404: `PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
HOME_URL="https://www.ubuntu.com/"
SUPPORT_URL="https://help.ubuntu.com/"
BUG_REPORT_URL="https://bugs.launchpad.net/ubuntu/"
PRIVACY_POLICY_URL="https://www.ubuntu.com/legal/terms-and-policies/privacy-policy"
UBUNTU_CODENAME=noble
LOGO=ubuntu-logo
`,
  debian12: `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`,
};

/** Personas in a stable order (handy for spreading N hosts over all of them). */
export const KVM_HOST_PERSONAS = Object.keys(OS_RELEASE) as KvmHostPersona[];

const BASE_TOOLS = ['ip', 'ping', 'sudo', 'hostname', 'systemctl', 'sysctl'];

/** Files, directories and tools for a persona, with a static management config on the first NIC. */
export function personaSeed(persona: KvmHostPersona, name: string, mgmt: ManagementAddressing): PersonaSeed {
  const files: PersonaSeed['files'] = [
    { path: 'etc/os-release', content: OS_RELEASE[persona] },
    { path: 'etc/hostname', content: `${name}\n` },
  ];
  const { nic, address, prefix, gateway } = mgmt;
  switch (persona) {
    case 'centos7':
      files.push(
        { path: 'etc/sysconfig/network', content: `NETWORKING=yes\nHOSTNAME=${name}\n` },
        { path: 'etc/sysconfig/network-scripts/ifcfg-lo', content: 'DEVICE=lo\nIPADDR=127.0.0.1\nNETMASK=255.0.0.0\nNETWORK=127.0.0.0\nBROADCAST=127.255.255.255\nONBOOT=yes\nNAME=loopback\n' },
        { path: `etc/sysconfig/network-scripts/ifcfg-${nic}`, content: `TYPE=Ethernet\nBOOTPROTO=none\nNAME=${nic}\nDEVICE=${nic}\nONBOOT=yes\nIPADDR=${address}\nPREFIX=${prefix}\nGATEWAY=${gateway}\nNM_CONTROLLED=no\n` },
      );
      return { files, dirs: ['etc/sysconfig/network-scripts'], tools: [...BASE_TOOLS, 'ifup', 'ifdown', 'service'] };
    case 'rocky9':
      files.push({
        path: `etc/NetworkManager/system-connections/${nic}.nmconnection`,
        mode: 0o600,
        content: `[connection]\nid=${nic}\nuuid=${stableUuid(`${name}/${nic}`)}\ntype=ethernet\nautoconnect-priority=-999\ninterface-name=${nic}\n\n[ethernet]\n\n[ipv4]\naddress1=${address}/${prefix},${gateway}\nmethod=manual\n\n[ipv6]\naddr-gen-mode=eui64\nmethod=ignore\n\n[proxy]\n`,
      });
      return { files, dirs: ['etc/NetworkManager/system-connections'], tools: [...BASE_TOOLS, 'nmcli'] };
    case 'ubuntu2204':
    case 'ubuntu2404':
      files.push({
        path: 'etc/netplan/50-cloud-init.yaml',
        mode: 0o600,
        content: `network:\n  version: 2\n  ethernets:\n    ${nic}:\n      addresses:\n      - ${address}/${prefix}\n      routes:\n      - to: default\n        via: ${gateway}\n`,
      });
      return { files, dirs: ['etc/netplan'], tools: [...BASE_TOOLS, 'netplan'] };
    case 'debian12':
      files.push({
        path: 'etc/network/interfaces',
        content: `# This file describes the network interfaces available on your system\n# and how to activate them. For more information, see interfaces(5).\n\nsource /etc/network/interfaces.d/*\n\n# The loopback network interface\nauto lo\niface lo inet loopback\n\n# The primary network interface\nauto ${nic}\niface ${nic} inet static\n\taddress ${address}/${prefix}\n\tgateway ${gateway}\n`,
      });
      return { files, dirs: ['etc/network/interfaces.d'], tools: [...BASE_TOOLS, 'ifup', 'ifdown', 'service'] };
  }
}

/** The running network a freshly booted persona host has: NICs up, management address and default route. */
export function initialLiveState(nics: string[], mgmt: ManagementAddressing): LiveState {
  return {
    links: nics.map((name) => ({ name, kind: 'nic' as const, up: true })),
    addresses: [{ dev: mgmt.nic, address: mgmt.address, prefix: mgmt.prefix }],
    routes: [{ to: 'default', via: mgmt.gateway, dev: mgmt.nic }],
  };
}

function stableUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
