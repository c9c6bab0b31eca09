import type { PhysicalNetworkTopology, TrafficTypeName, ZoneNetworkTopology } from '@hostnet/cloudstack';
import { labelNameProblem } from '../validation/interface-name.validator';
import type { ViolationList } from '../validation/intent-violation';
import { compareNatural } from './natural-order';

/** Stable order of traffic types on a bridge. */
export const TRAFFIC_TYPE_ORDER: readonly TrafficTypeName[] = ['Management', 'Guest', 'Public', 'Storage'];

/** One bridge CloudStack expects: a label and the traffic types that use it. */
export interface LabelGroup {
  label: string;
  trafficTypes: TrafficTypeName[];
  /** Topology path of the first traffic type naming it, for errors. */
  field: string;
}

/** The labels of one physical network that carries traffic. */
export interface NetworkLabels {
  index: number;
  network: PhysicalNetworkTopology;
  labels: LabelGroup[];
}

/** Validated labels per physical network, plus the Management label. Invalid labels are reported and dropped. */
export interface CollectedLabels {
  networks: NetworkLabels[];
  managementLabel?: string;
}

/**
 * Groups the zone's traffic types by effective label, validating every label CloudStack hands us.
 * A label set in CloudStack belongs to one physical network; an agent-default label (e.g. an unset
 * Storage label falling back to the Management bridge) joins the bridge that already has it.
 */
export function collectTrafficLabels(topology: ZoneNetworkTopology, errors: ViolationList): CollectedLabels {
  const byLabel = new Map<string, { networkIndex: number; group: LabelGroup }>();
  const entries = topology.physicalNetworks.flatMap((network, index) =>
    network.trafficTypes.map((traffic, t) => ({ network, index, traffic, field: `topology.physicalNetworks[${index}].trafficTypes[${t}].effectiveLabel` })),
  );
  // Explicit labels claim their physical network before fallbacks are attached.
  entries.sort((a, b) => Number(a.traffic.labelSource === 'agent-default') - Number(b.traffic.labelSource === 'agent-default'));
  let managementLabel: string | undefined;
  for (const { network, index, traffic, field } of entries) {
    const label = traffic.effectiveLabel;
    const problem = labelNameProblem(label);
    if (problem !== null) {
      errors.addProblem(field, label, `(${traffic.trafficType} label of physical network ${JSON.stringify(network.name)}) ${problem.replace('; fix: ', '; fix: set the KVM traffic label in CloudStack to a valid bridge name; ')}`);
      continue;
    }
    if (traffic.trafficType === 'Management') managementLabel = label;
    const known = byLabel.get(label);
    if (known && known.networkIndex !== index && traffic.labelSource !== 'agent-default') {
      const other = topology.physicalNetworks[known.networkIndex].name;
      errors.add(field, label, `is also a label of physical network ${JSON.stringify(other)}; one bridge cannot ride on two physical networks`, 'give each physical network its own KVM traffic labels in CloudStack');
      continue;
    }
    const entry = known ?? { networkIndex: index, group: { label, trafficTypes: [], field } };
    if (!entry.group.trafficTypes.includes(traffic.trafficType)) entry.group.trafficTypes.push(traffic.trafficType);
    byLabel.set(label, entry);
  }
  const networks: NetworkLabels[] = [];
  topology.physicalNetworks.forEach((network, index) => {
    const labels = [...byLabel.values()].filter((e) => e.networkIndex === index).map((e) => e.group);
    if (labels.length === 0) return;
    labels.sort((a, b) => compareNatural(a.label, b.label));
    for (const group of labels) group.trafficTypes.sort((a, b) => TRAFFIC_TYPE_ORDER.indexOf(a) - TRAFFIC_TYPE_ORDER.indexOf(b));
    networks.push({ index, network, labels });
  });
  const hasManagement = topology.physicalNetworks.some((n) => n.trafficTypes.some((t) => t.trafficType === 'Management'));
  if (!hasManagement) {
    errors.add('topology.physicalNetworks', topology.zone.name, 'has no Management traffic type', 'add Management traffic to a physical network of the zone in CloudStack');
  }
  return { networks, managementLabel };
}
