import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LiveState } from '@hostnet/intent';

/** Operating systems a simulated KVM host can claim to run. */
export type KvmHostPersona = (typeof PERSONAS)[number];

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

/**
 * Each persona's /etc/os-release, one file per persona (the build copies them beside the code): the
 * lab's hosts (test/lab/lib/personas.sh) seed theirs from the same files.
 */
const OS_RELEASE_DIR = join(__dirname, 'os-release');

const PERSONAS = ['centos7', 'rocky9', 'ubuntu2204', 'ubuntu2404', 'debian12'] as const;
const OS_RELEASE = Object.fromEntries(PERSONAS.map((p) => [p, readFileSync(join(OS_RELEASE_DIR, p), 'utf8')])) as Record<KvmHostPersona, string>;

/** Personas in a stable order (handy for spreading N hosts over all of them). */
export const KVM_HOST_PERSONAS: readonly KvmHostPersona[] = PERSONAS;

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
