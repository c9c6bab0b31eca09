import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import { LINUX_BOND_MODES, OVS_BOND_MODES } from '@hostnet/intent/validation/bond-options.validator';
import { isValidIpv4 } from '@hostnet/intent/validation/ipv4.validator';
import { isMacAddress } from '@hostnet/intent/validation/network-values.validator';
import { InvalidIntentValueError } from '../domain/render-errors';

/**
 * The renderer's own checks on every value it writes into a file or argv. The intent builder
 * validates first; these run again so a hand-made or tampered intent cannot inject anything.
 */

const IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const MAC = /^[0-9A-F]{2}(?::[0-9A-F]{2}){5}$/;
const HOST_ID = /^[A-Za-z0-9-]{1,64}$/;

const XMIT = ['layer2', 'layer2+3', 'layer3+4', 'encap2+3', 'encap3+4'];
const TRAFFIC = ['Management', 'Guest', 'Public', 'Storage'];
const ROLES = ['traffic-label', 'extra', 'link-local'];

function fail(field: string, reason: string): never {
  throw new InvalidIntentValueError(field, reason);
}

/** A Linux interface name: 1–15 of [A-Za-z0-9_.-], not `.`/`..`, not starting with `-`. */
export function assertIfName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !IFNAME.test(value) || value === '.' || value === '..' || value.startsWith('-')) {
    fail(field, `${JSON.stringify(value)} is not a valid interface name (1-15 chars of A-Z a-z 0-9 _ . -, not "." or "..", not starting with "-")`);
  }
  return value;
}

/** Dotted-quad IPv4 without leading zeros. */
export function assertIpv4(field: string, value: unknown): string {
  if (!isValidIpv4(value)) fail(field, `${JSON.stringify(value)} is not a dotted-quad IPv4 address`);
  return value as string;
}

/** Integer in [min, max]. */
export function assertInt(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    fail(field, `${JSON.stringify(value)} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Six colon-separated hex octets (`aa:bb:cc:dd:ee:ff`). */
export function assertMacAddress(field: string, value: unknown): string {
  if (!isMacAddress(value)) fail(field, `${JSON.stringify(value)} is not a MAC address (six hex octets separated by ":")`);
  return value;
}

export function assertOneOf(field: string, value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) fail(field, `${JSON.stringify(value)} must be one of ${allowed.join(', ')}`);
  return value;
}

/** A DNS name: dot-separated labels, 253 chars at most. */
export function assertDnsName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.length > 253 || !value.split('.').every((l) => DNS_LABEL.test(l))) {
    fail(field, `${JSON.stringify(value)} is not a valid DNS name`);
  }
  return value;
}

function assertAddress(field: string, value: { address: unknown; prefix: unknown } | undefined): void {
  if (value === undefined) return;
  assertIpv4(`${field}.address`, value.address);
  assertInt(`${field}.prefix`, value.prefix, 0, 32);
}

function assertArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) fail(field, 'must be an array');
  return value;
}

/** Checks every field a renderer writes; throws InvalidIntentValueError naming the first bad one. */
export function assertRenderableIntent(intent: HostNetworkIntent): void {
  if (typeof intent !== 'object' || intent === null) fail('intent', 'must be an object');
  if (typeof intent.hostId !== 'string' || !HOST_ID.test(intent.hostId)) fail('hostId', `${JSON.stringify(intent.hostId)} must be 1-64 chars of A-Z a-z 0-9 -`);
  if (typeof intent.hostname !== 'string' || !DNS_LABEL.test(intent.hostname)) fail('hostname', `${JSON.stringify(intent.hostname)} is not a valid host name`);
  if (intent.fqdn !== undefined) assertDnsName('fqdn', intent.fqdn);
  assertOneOf('backend', intent.backend, ['linux', 'ovs']);
  const names = new Set<string>();
  const declare = (field: string, name: unknown) => {
    const n = assertIfName(field, name);
    if (names.has(n)) fail(field, `duplicate interface name ${n}`);
    names.add(n);
  };
  assertArray('nics', intent.nics).forEach((_, i) => {
    const nic = intent.nics[i];
    declare(`nics[${i}].name`, nic.name);
    if (nic.bond !== undefined) assertIfName(`nics[${i}].bond`, nic.bond);
    if (nic.bridge !== undefined) assertIfName(`nics[${i}].bridge`, nic.bridge);
    if (nic.mtu !== undefined) assertInt(`nics[${i}].mtu`, nic.mtu, 68, 65535);
    if (nic.hwaddr !== undefined && (typeof nic.hwaddr !== 'string' || !MAC.test(nic.hwaddr))) {
      fail(`nics[${i}].hwaddr`, `${JSON.stringify(nic.hwaddr)} must be an upper-case colon MAC like 00:0C:29:B5:59:32`);
    }
  });
  assertArray('bonds', intent.bonds).forEach((_, i) => {
    const bond = intent.bonds[i];
    const f = `bonds[${i}]`;
    declare(`${f}.name`, bond.name);
    const members = assertArray(`${f}.members`, bond.members);
    if (members.length === 0) fail(`${f}.members`, 'a bond needs at least one member');
    members.forEach((m, j) => assertIfName(`${f}.members[${j}]`, m));
    assertOneOf(`${f}.mode`, bond.mode, intent.backend === 'ovs' ? OVS_BOND_MODES : LINUX_BOND_MODES);
    assertInt(`${f}.miimon`, bond.miimon, 0, 2147483647);
    if (bond.lacpRate !== undefined) assertOneOf(`${f}.lacpRate`, bond.lacpRate, ['slow', 'fast']);
    if (bond.xmitHashPolicy !== undefined) assertOneOf(`${f}.xmitHashPolicy`, bond.xmitHashPolicy, XMIT);
    if (bond.lacp !== undefined) assertOneOf(`${f}.lacp`, bond.lacp, ['off', 'active', 'passive']);
    if (bond.bridge !== undefined) assertIfName(`${f}.bridge`, bond.bridge);
    if (bond.mtu !== undefined) assertInt(`${f}.mtu`, bond.mtu, 68, 65535);
  });
  assertArray('vlans', intent.vlans).forEach((_, i) => {
    const vlan = intent.vlans[i];
    declare(`vlans[${i}].name`, vlan.name);
    assertIfName(`vlans[${i}].parent`, vlan.parent);
    assertInt(`vlans[${i}].vlanId`, vlan.vlanId, 1, 4094);
    if (vlan.bridge !== undefined) assertIfName(`vlans[${i}].bridge`, vlan.bridge);
    if (vlan.mtu !== undefined) assertInt(`vlans[${i}].mtu`, vlan.mtu, 68, 65535);
  });
  assertArray('bridges', intent.bridges).forEach((_, i) => {
    const br = intent.bridges[i];
    const f = `bridges[${i}]`;
    declare(`${f}.name`, br.name);
    assertOneOf(`${f}.role`, br.role, ROLES);
    assertArray(`${f}.trafficTypes`, br.trafficTypes).forEach((t, j) => assertOneOf(`${f}.trafficTypes[${j}]`, t, TRAFFIC));
    if (br.uplink !== undefined) assertIfName(`${f}.uplink`, br.uplink);
    if (br.parent !== undefined) assertIfName(`${f}.parent`, br.parent);
    if (br.vlanId !== undefined) assertInt(`${f}.vlanId`, br.vlanId, 1, 4094);
    if ((br.parent === undefined) !== (br.vlanId === undefined)) fail(`${f}.parent`, 'an OVS fake bridge needs both parent and vlanId');
    assertAddress(`${f}.address`, br.address);
    if (br.gateway !== undefined) assertIpv4(`${f}.gateway`, br.gateway);
    if (br.mtu !== undefined) assertInt(`${f}.mtu`, br.mtu, 68, 65535);
    if (typeof br.stp !== 'boolean') fail(`${f}.stp`, 'must be true or false');
    // With STP on, the kernel (and NetworkManager) only accept a forward delay of 2-30 s.
    assertInt(`${f}.forwardDelay`, br.forwardDelay, br.stp ? 2 : 0, 30);
  });
  assertArray('routes', intent.routes).forEach((_, i) => {
    const r = intent.routes[i];
    // The default route is defaultGateway (the management bridge's gateway); one here would be written twice.
    if (r.to === 'default') fail(`routes[${i}].to`, '"default" is not an extra route: the default route is defaultGateway');
    const [net, prefix, extra] = String(r.to).split('/');
    if (extra !== undefined || prefix === undefined) fail(`routes[${i}].to`, `${JSON.stringify(r.to)} must be a CIDR like 10.1.0.0/16`);
    assertIpv4(`routes[${i}].to`, net);
    assertInt(`routes[${i}].to`, Number(prefix), 0, 32);
    assertIpv4(`routes[${i}].via`, r.via);
    assertIfName(`routes[${i}].dev`, r.dev);
  });
  assertArray('dns.nameservers', intent.dns?.nameservers).forEach((ns, i) => assertIpv4(`dns.nameservers[${i}]`, ns));
  assertArray('dns.search', intent.dns.search).forEach((d, i) => assertDnsName(`dns.search[${i}]`, d));
  if (intent.dns.domain !== undefined) assertDnsName('dns.domain', intent.dns.domain);
  assertIfName('managementBridge', intent.managementBridge);
  if (!intent.bridges.some((b) => b.name === intent.managementBridge)) fail('managementBridge', `${intent.managementBridge} is not one of the intent's bridges`);
  assertAddress('managementAddress', intent.managementAddress);
  assertIpv4('defaultGateway', intent.defaultGateway);
  if (typeof intent.vlanSplinters !== 'boolean') fail('vlanSplinters', 'must be true or false');
  for (const [i, bond] of intent.bonds.entries()) {
    bond.members.forEach((m, j) => {
      if (!intent.nics.some((n) => n.name === m)) fail(`bonds[${i}].members[${j}]`, `${m} is not one of the intent's nics`);
    });
  }
  if (intent.links !== undefined) {
    assertArray('links', intent.links).forEach((_, i) => {
      const link = intent.links![i];
      assertOneOf(`links[${i}].kind`, link.kind, intent.backend === 'ovs' ? ['ovs-patch'] : ['veth']);
      const ends = assertArray(`links[${i}].ends`, link.ends);
      if (ends.length !== 2) fail(`links[${i}].ends`, 'a link has exactly two ends');
      link.ends.forEach((end, j) => {
        declare(`links[${i}].ends[${j}].name`, end.name);
        assertIfName(`links[${i}].ends[${j}].bridge`, end.bridge);
        const bridge = intent.bridges.find((b) => b.name === end.bridge);
        if (!bridge || bridge.parent !== undefined) fail(`links[${i}].ends[${j}].bridge`, `${end.bridge} is not a real bridge of the intent`);
      });
      if (link.mtu !== undefined) assertInt(`links[${i}].mtu`, link.mtu, 68, 65535);
    });
  }
  for (const [i, br] of intent.bridges.entries()) {
    if (br.uplink !== undefined && !names.has(br.uplink)) fail(`bridges[${i}].uplink`, `${br.uplink} is not a nic, bond or vlan of the intent`);
    if (br.parent !== undefined && !intent.bridges.some((b) => b.name === br.parent)) fail(`bridges[${i}].parent`, `${br.parent} is not a bridge of the intent`);
  }
}
