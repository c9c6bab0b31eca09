import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodIssue } from 'zod';
import { expandClusterHosts } from './host-template.expander';
import type { SimulatorTopology, ZoneSeed } from './simulator-topology';
import { simulatorTopologySchema } from './simulator-topology.schema';

/** Thrown when a seed is unreadable or invalid; the message names the file and the path of each problem. */
export class SimulatorTopologyError extends Error {
  constructor(readonly source: string, readonly problems: string[]) {
    super(`Invalid simulator topology ${source}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'SimulatorTopologyError';
  }
}

/** Reads and validates a seed file (.yaml, .yml or .json). */
export function loadSimulatorTopology(path: string): SimulatorTopology {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new SimulatorTopologyError(path, [`cannot read file: ${(error as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new SimulatorTopologyError(path, [`not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`]);
  }
  return parseSimulatorTopology(raw, path);
}

/** Validates an already-parsed seed object; `source` names it in errors. */
export function parseSimulatorTopology(raw: unknown, source = '<topology object>'): SimulatorTopology {
  const result = simulatorTopologySchema.safeParse(raw);
  if (!result.success) {
    throw new SimulatorTopologyError(source, result.error.issues.map(describeIssue));
  }
  const problems = result.data.zones.flatMap((zone, index) => crossCheckZone(zone, `zones[${index}]`));
  if (problems.length > 0) throw new SimulatorTopologyError(source, problems);
  return result.data;
}

function describeIssue(issue: ZodIssue): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  return `${path || '(root)'}: ${issue.message}`;
}

function crossCheckZone(zone: ZoneSeed, at: string): string[] {
  const problems: string[] = [];
  const podNames = new Set<string>();
  const hostNames = new Map<string, string>();
  const hostIps = new Map<string, string>();
  zone.pods.forEach((pod, p) => {
    if (podNames.has(pod.name)) problems.push(`${at}.pods[${p}].name: duplicate pod name ${pod.name}`);
    podNames.add(pod.name);
    pod.clusters.forEach((cluster, c) => {
      const where = `${at}.pods[${p}].clusters[${c}]`;
      let hosts;
      try {
        hosts = expandClusterHosts(cluster);
      } catch (error) {
        problems.push(`${where}.hostTemplate: ${(error as Error).message}`);
        return;
      }
      for (const host of hosts) {
        const clash = hostNames.get(host.name) ?? hostIps.get(host.ipAddress);
        if (clash) problems.push(`${where}: host ${host.name} (${host.ipAddress}) clashes with ${clash} by name or address`);
        hostNames.set(host.name, `${host.name} in ${where}`);
        hostIps.set(host.ipAddress, `${host.name} in ${where}`);
      }
    });
  });
  zone.physicalNetworks.forEach((network, n) => {
    const seen = new Set<string>();
    network.trafficTypes.forEach((traffic, t) => {
      if (seen.has(traffic.type)) {
        problems.push(`${at}.physicalNetworks[${n}].trafficTypes[${t}].type: ${traffic.type} appears twice on ${network.name}`);
      }
      seen.add(traffic.type);
    });
  });
  for (const type of ['Management', 'Public', 'Storage']) {
    const carriers = zone.physicalNetworks.filter((n) => n.trafficTypes.some((t) => t.type === type)).map((n) => n.name);
    if (carriers.length > 1) problems.push(`${at}.physicalNetworks: ${type} traffic is on ${carriers.join(' and ')}; a zone carries it on one physical network`);
  }
  zone.storageRanges.forEach((range, r) => {
    if (!podNames.has(range.pod)) {
      problems.push(`${at}.storageRanges[${r}].pod: unknown pod ${range.pod}; use one of ${[...podNames].join(', ')}`);
    }
  });
  return problems;
}
