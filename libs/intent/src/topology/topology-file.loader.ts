import { HostnetError } from '@hostnet/contracts';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ZoneNetworkTopology } from '@hostnet/cloudstack';
import { formatPath } from '../profile/profile-set.parser';

/**
 * Reads a ZoneNetworkTopology saved as JSON (what `hostnet topology` prints), checking its shape
 * so the builder never meets a missing array; the builder then checks every value (names,
 * addresses, labels) itself. The only I/O is loadTopologyFile.
 */

const str = z.string();
const trafficType = z.enum(['Management', 'Guest', 'Public', 'Storage']);

const topologySchema = z.object({
  zone: z.object({ id: str, name: str, networkType: z.enum(['Advanced', 'Basic']), dns1: str.optional(), dns2: str.optional(), internalDns1: str.optional(), internalDns2: str.optional(), domain: str.optional() }).passthrough(),
  pods: z.array(z.object({ id: str, name: str, zoneId: str, gateway: str, netmask: str }).passthrough()),
  clusters: z.array(z.object({ id: str, name: str, podId: str, zoneId: str, hypervisorType: str }).passthrough()),
  hosts: z.array(z.object({ id: str, name: str, ipAddress: str, zoneId: str, podId: str, clusterId: str, state: str, resourceState: str, hypervisor: str, agentVersion: str.optional() }).passthrough()),
  physicalNetworks: z.array(
    z.object({
      id: str,
      name: str,
      zoneId: str,
      isolationMethods: z.array(str),
      vlanRanges: z.array(z.object({ start: z.number().int(), end: z.number().int() })),
      tags: z.array(str),
      trafficTypes: z.array(
        z.object({ id: str, trafficType, physicalNetworkId: str, kvmNetworkLabel: str.nullable(), effectiveLabel: str, labelSource: z.enum(['cloudstack', 'agent-default']) }).passthrough(),
      ),
    }).passthrough(),
  ),
  storageRanges: z.array(z.object({ id: str, zoneId: str, podId: str, startIp: str, endIp: str, netmask: str, gateway: str.optional(), vlan: z.number().int().optional() }).passthrough()),
  warnings: z.array(z.object({ code: str, message: str }).passthrough()).default([]),
  cloudstackVersion: str.optional(),
});

/** A topology file that cannot be used; the message names the file, the path in it and the fix. */
export class TopologyLoadError extends HostnetError {
  readonly permanent = true;

  constructor(readonly file: string, detail: string) {
    super(`invalid topology file ${file}: ${detail}`);
  }
}

/** Parses topology JSON text; `source` names it in errors. Pure. */
export function parseTopologyJson(text: string, source: string): ZoneNetworkTopology {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TopologyLoadError(source, `not valid JSON (${(error as Error).message}); fix: save the output of \`hostnet topology --zone Z\``);
  }
  const result = topologySchema.safeParse(data);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${formatPath(i.path) || '(root)'}: ${i.message}`);
    throw new TopologyLoadError(source, `${issues.join('; ')}; fix: save the output of \`hostnet topology --zone Z\``);
  }
  return result.data as ZoneNetworkTopology;
}

/** Reads and shape-checks a topology JSON file. */
export async function loadTopologyFile(path: string): Promise<ZoneNetworkTopology> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TopologyLoadError(path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'read error'}); fix: check the path and permissions`);
  }
  return parseTopologyJson(text, path);
}
