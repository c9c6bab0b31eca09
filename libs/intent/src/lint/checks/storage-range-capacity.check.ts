import type { KvmHost, StorageNetworkRange } from '@hostnet/cloudstack';
import { formatIpv4, inSubnet, netmaskToPrefix, parseIpv4 } from '../../validation/ipv4.validator';
import type { LintContext } from '../lint-context';
import { hostList, locate } from '../lint-context';
import type { LintFinding } from '../zone-lint.types';

/** Addresses in a range, 0 when it is malformed. */
function sizeOf(range: StorageNetworkRange): number {
  const start = parseIpv4(range.startIp);
  const end = parseIpv4(range.endIp);
  return start === null || end === null || end < start ? 0 : end - start + 1;
}

/** True when `address` lies in the subnet of one of `ranges`. */
function inStorageSubnet(address: string, ranges: readonly StorageNetworkRange[]): boolean {
  const ip = parseIpv4(address);
  return ranges.some((r) => {
    const start = parseIpv4(r.startIp);
    const prefix = netmaskToPrefix(r.netmask);
    return ip !== null && start !== null && prefix !== null && inSubnet(ip, start, prefix);
  });
}

/**
 * A pod whose storage ranges hold fewer addresses than the pod has hosts taking a storage address
 * (an intent bridge addressed in the storage subnet): storage system VMs and hosts run out.
 */
export function checkStorageRangeCapacity(ctx: LintContext): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const pod of ctx.topology.pods) {
    const ranges = ctx.topology.storageRanges.filter((r) => r.podId === pod.id);
    if (ranges.length === 0) continue;
    const needing: KvmHost[] = ctx.built
      .filter(({ host, intent }) => host.podId === pod.id && intent.bridges.some((b) => b.role !== 'link-local' && b.address !== undefined && b.address.address !== intent.managementAddress.address && inStorageSubnet(b.address.address, ranges)))
      .map(({ host }) => host);
    const capacity = ranges.reduce((sum, r) => sum + sizeOf(r), 0);
    if (needing.length <= capacity) continue;
    const shown = ranges.map((r) => `${r.startIp}-${r.endIp}`).join(', ');
    const first = parseIpv4(ranges[0].startIp);
    const suggestion = first === null ? '' : ` (e.g. ${ranges[0].startIp}-${formatIpv4(first + needing.length - 1)})`;
    findings.push({
      severity: 'error',
      code: 'storage-range-too-small',
      where: locate(ctx.topology, { podId: pod.id }),
      message: `storage range ${shown} holds ${capacity} address${capacity === 1 ? '' : 'es'}, but ${needing.length} hosts of the pod take a storage address (${hostList(needing)}); fix: widen the pod's storage network IP range in CloudStack to at least ${needing.length} addresses${suggestion}`,
      hostIds: needing.map((h) => h.id),
    });
  }
  return findings;
}
