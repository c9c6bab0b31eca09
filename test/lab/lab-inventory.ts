import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** OS personas a lab host can wear (os-release + that OS's network-config directories). */
export type LabPersona = 'centos7' | 'rocky9' | 'ubuntu2204' | 'ubuntu2404' | 'debian12' | 'ubuntu2204-ifupdown';
/** Which switch a lab host runs: its own userspace Open vSwitch, or only Linux bridges. */
export type LabBackend = 'ovs' | 'linux';

/** One veth NIC of a lab host and where its other end is plugged in the lab namespace. */
export interface LabNic {
  name: string;
  mac: string;
  labBridge: 'labbr0' | 'labbr1';
  labPeer: string;
}

/** One lab host as written by lab-up.sh into inventory.json. */
export interface LabHost {
  name: string;
  namespace: string;
  persona: LabPersona;
  family: 'el' | 'ubuntu' | 'debian';
  /** The persona's network configuration system (ubuntu2204-ifupdown: Ubuntu with ifupdown, no netplan). */
  netcfg: 'network-scripts' | 'networkmanager' | 'netplan' | 'ifupdown';
  backend: LabBackend;
  managementIp: string;
  prefix: number;
  gateway: string;
  sshPort: number;
  sshUser: string;
  nics: LabNic[];
  /** `ssh-ed25519 AAAA…` public host key, as in known_hosts. */
  hostKey: string;
  hostKeyFingerprint: string;
  stateDir: string;
}

/** `<state>/inventory.json`: everything a client needs to reach the lab's hosts. */
export interface LabInventory {
  labNamespace: string;
  labGateway: string;
  publicGateway: string;
  stateDir: string;
  clientKeyPath: string;
  knownHostsPath: string;
  topologyPath: string;
  hosts: LabHost[];
}

/** Reads and sanity-checks `<stateDir>/inventory.json`. */
export function readLabInventory(stateDir: string): LabInventory {
  const path = join(stateDir, 'inventory.json');
  const inventory = JSON.parse(readFileSync(path, 'utf8')) as LabInventory;
  if (typeof inventory.labNamespace !== 'string' || !Array.isArray(inventory.hosts)) {
    throw new Error(`${path} is not a lab inventory (labNamespace/hosts missing); re-run test/lab/lab-up.sh`);
  }
  return inventory;
}

/** What a LabZone takes from the inventory: the CloudStack seed, the client's key and known_hosts, the hosts. */
export function labZoneInputs(inventory: LabInventory): Pick<LabInventory, 'topologyPath' | 'clientKeyPath' | 'knownHostsPath' | 'hosts'> {
  const { topologyPath, clientKeyPath, knownHostsPath, hosts } = inventory;
  return { topologyPath, clientKeyPath, knownHostsPath, hosts };
}
