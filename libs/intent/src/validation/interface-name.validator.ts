/**
 * Linux interface names and CloudStack traffic labels. Whatever passes here is safe to put in a
 * config file, a file name and an argv word: only `[A-Za-z0-9_.-]`, no leading `-`.
 */

/** IFNAMSIZ is 16 including the terminating NUL. */
export const MAX_INTERFACE_NAME_LENGTH = 15;

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;

/**
 * The CloudStack agent's pif patterns (LibvirtComputingResource ifNamePatterns): a bridge whose
 * uplink does not match is invisible to the agent.
 */
export const AGENT_PIF_PATTERN = /^eth|^bond|^vlan|^vx|^em|^ens|^eno|^enp|^team|^enx|^dummy|^lo|^p\d+p\d+/;

/** The link-local bridge the agent owns (agent.properties private.bridge.name default). */
export const LINK_LOCAL_BRIDGE = 'cloud0';

const RESERVED_EXACT = new Set(['cloud0', 'lo', 'ovs-system', 'ovs-netdev', 'all', 'default', 'bonding_masters']);

const RESERVED_PATTERNS: ReadonlyArray<{ pattern: RegExp; owner: string }> = [
  { pattern: /^br.*-\d+$/, owner: 'the CloudStack agent creates br<pif>-<vlan> bridges for guest/public VLANs' },
  { pattern: /^cloudVirBr/, owner: 'the CloudStack agent uses cloudVirBr<vlan> for legacy VLAN bridges' },
  { pattern: /^virbr\d+/, owner: 'libvirt owns virbrN (its default NAT network)' },
  { pattern: /^vnet\d+$/, owner: 'libvirt names guest tap devices vnetN' },
  { pattern: /^OVSTunnel/, owner: 'the CloudStack OVS driver uses OVSTunnel<vnet> bridges' },
];

/** Why `name` is not a valid Linux interface name (with the fix), or null when it is valid. */
export function interfaceNameProblem(name: unknown): string | null {
  const fix = 'use 1-15 characters from A-Z a-z 0-9 _ . - that do not start with "-"';
  if (typeof name !== 'string') return `is not a string; fix: ${fix}`;
  if (name.length === 0) return `is empty; fix: ${fix}`;
  if (name.length > MAX_INTERFACE_NAME_LENGTH) {
    return `is ${name.length} characters long, Linux allows at most ${MAX_INTERFACE_NAME_LENGTH}; fix: ${fix}`;
  }
  if (!NAME_CHARS.test(name)) return `contains characters not allowed in an interface name; fix: ${fix}`;
  if (name === '.' || name === '..') return `is a path component, not an interface name; fix: ${fix}`;
  if (name.startsWith('-')) return `starts with "-" and would be read as an option; fix: ${fix}`;
  return null;
}

/** True when `name` is a valid Linux interface name: 1–15 chars of `[A-Za-z0-9_.-]`, not `.`/`..`, no leading `-`. */
export function isValidInterfaceName(name: unknown): name is string {
  return interfaceNameProblem(name) === null;
}

/** Why `name` is reserved for the agent, libvirt or the kernel (with the fix), or null. */
export function reservedNameProblem(name: string): string | null {
  if (RESERVED_EXACT.has(name)) {
    return `is reserved (${name === LINK_LOCAL_BRIDGE ? 'the agent\'s link-local bridge' : 'kernel/OVS/libvirt name'}); fix: choose another name, one no other label of the zone uses (cloudbr0, cloudbr1, …)`;
  }
  const hit = RESERVED_PATTERNS.find((r) => r.pattern.test(name));
  return hit ? `is reserved because ${hit.owner}; fix: choose another name, one no other label of the zone uses (cloudbr0, cloudbr1, …)` : null;
}

/** True when `name` is reserved and must not be used as a label or a profile-defined interface. */
export function isReservedInterfaceName(name: string): boolean {
  return reservedNameProblem(name) !== null;
}

/** Problem for a CloudStack traffic label / bridge name: valid name and not reserved. */
export function labelNameProblem(name: unknown): string | null {
  return interfaceNameProblem(name) ?? reservedNameProblem(name as string);
}

/** True when the agent would recognise `name` as a bridge's physical port. */
export function matchesAgentPifPattern(name: string): boolean {
  return AGENT_PIF_PATTERN.test(name);
}

/** Problem for a bridge uplink the agent must find, or null. */
export function pifNameProblem(name: string): string | null {
  return matchesAgentPifPattern(name)
    ? null
    : 'does not match the CloudStack agent\'s uplink patterns (eth|bond|vlan|vx|em|ens|eno|enp|team|enx|dummy|lo|pXpY), so the agent will not find the bridge\'s physical port; fix: name the uplink e.g. bond0, eth0 or ens3f0';
}
