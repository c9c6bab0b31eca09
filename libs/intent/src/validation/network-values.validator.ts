/** Range and format checks for VLAN ids, MTUs, MAC addresses and host names; each returns a problem with its fix, or null. */

export const VLAN_ID_MIN = 1;
export const VLAN_ID_MAX = 4094;
export const MTU_MIN = 68;
export const MTU_MAX = 9216;
/** ifupdown2 declares bond-miimon's validrange as 0–255 (`ifup --syntax-check` rejects more). */
export const MIIMON_MAX = 255;

function integerProblem(value: unknown, min: number, max: number, what: string, fix: string): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return `is not an integer ${what}; fix: ${fix}`;
  if (value < min || value > max) return `is outside ${min}-${max}; fix: ${fix}`;
  return null;
}

/** Problem with an 802.1q VLAN id (integer 1–4094), or null. */
export function vlanIdProblem(value: unknown): string | null {
  return integerProblem(value, VLAN_ID_MIN, VLAN_ID_MAX, 'VLAN id', 'use a VLAN id from 1 to 4094');
}

/** True for an integer VLAN id 1–4094. */
export function isValidVlanId(value: unknown): value is number {
  return vlanIdProblem(value) === null;
}

/** Problem with an MTU (integer 68–9216), or null. */
export function mtuProblem(value: unknown): string | null {
  return integerProblem(value, MTU_MIN, MTU_MAX, 'MTU', 'use an MTU from 68 to 9216 (1500 standard, 9000 jumbo)');
}

/** True for an integer MTU 68–9216. */
export function isValidMtu(value: unknown): value is number {
  return mtuProblem(value) === null;
}

/** Problem with a bond MII polling interval in ms, or null; OVS needs a positive interval for miimon detection. */
export function miimonProblem(value: unknown, backend: 'linux' | 'ovs'): string | null {
  const min = backend === 'ovs' ? 1 : 0;
  return integerProblem(value, min, MIIMON_MAX, 'miimon interval', `use ${min}-${MIIMON_MAX} ms (100 is usual)`);
}

const MAC = /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/;

/** Six colon-separated hex octets, either case (any MAC: unicast, multicast or zero). */
export function isMacAddress(value: unknown): value is string {
  return typeof value === 'string' && MAC.test(value);
}

/** Problem with a unicast MAC address in colon form, or null. */
export function macAddressProblem(value: unknown): string | null {
  const fix = 'write a concrete unicast MAC like 00:0C:29:B5:59:32, or leave hwaddr out';
  if (!isMacAddress(value)) return `is not a MAC address; fix: ${fix}`;
  if (parseInt(value.slice(0, 2), 16) % 2 === 1) return `is a multicast MAC; fix: ${fix}`;
  if (/^(00:){5}00$/.test(value)) return `is the all-zero MAC; fix: ${fix}`;
  return null;
}

/** The MAC in the intent's canonical upper-case colon form. */
export function normalizeMac(value: string): string {
  return value.toUpperCase();
}

const DNS_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Problem with a DNS domain or host name (dot-separated RFC 1123 labels, ≤ 253 chars), or null. */
export function domainNameProblem(value: unknown): string | null {
  const fix = 'use letters, digits and "-" in dot-separated labels of at most 63 characters, e.g. kvmhost1.mylab.local';
  if (typeof value !== 'string' || value.length === 0) return `is empty; fix: ${fix}`;
  if (value.length > 253) return `is longer than 253 characters; fix: ${fix}`;
  return value.split('.').every((label) => DNS_LABEL.test(label)) ? null : `is not a valid DNS name; fix: ${fix}`;
}
