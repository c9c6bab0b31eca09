import { TrafficType } from '../domain/cloudstack-records';
import { TrafficTypeLabel, TrafficTypeName } from '../domain/zone-network-topology';

/** CloudStack's last-resort KVM device when no label and no global setting is set. */
export const DEFAULT_KVM_DEVICE = 'cloudbr0';

/** The device the agent ends up with for one traffic type, and why. */
export interface AgentDevice {
  device: string;
  /** Human explanation, e.g. 'its own label', 'the Guest label', "CloudStack's default cloudbr0". */
  origin: string;
  fromLabel: boolean;
}

type Role = 'Management' | 'Public' | 'Guest';

/**
 * What addHost passes to cloudstack-setup-agent (LibvirtServerDiscoverer, FACTS §3.2): the
 * zone's Management/Public/Guest labels (the last set one wins across physical networks); if none
 * is set, the global kvm.*.network.device settings or cloudbr0; then public ← guest ← private,
 * private ← public ← guest, guest ← public ← private. Storage falls back to the private device
 * (FACTS §3.5: storage NICs use the private bridge when the storage label is unset).
 */
export function resolveAgentDevices(trafficTypes: TrafficType[]): Record<TrafficTypeName, AgentDevice> {
  const set: Partial<Record<TrafficTypeName, string>> = {};
  for (const t of trafficTypes) if (t.kvmNetworkLabel !== null) set[t.trafficType] = t.kvmNetworkLabel;
  const own = (role: TrafficTypeName): AgentDevice | undefined =>
    set[role] === undefined ? undefined : { device: set[role] as string, origin: `the ${role} label`, fromLabel: true };

  if (!own('Management') && !own('Public') && !own('Guest')) {
    const fallback = (role: Role): AgentDevice => ({
      device: DEFAULT_KVM_DEVICE,
      origin: `CloudStack's default ${DEFAULT_KVM_DEVICE} (unless the global setting ${globalSetting(role)} says otherwise)`,
      fromLabel: false,
    });
    const management = fallback('Management');
    return { Management: management, Public: fallback('Public'), Guest: fallback('Guest'), Storage: own('Storage') ?? management };
  }
  const publicDev = own('Public') ?? own('Guest') ?? (own('Management') as AgentDevice);
  const management = own('Management') ?? publicDev;
  const guest = own('Guest') ?? publicDev;
  return { Management: management, Public: publicDev, Guest: guest, Storage: own('Storage') ?? management };
}

/** Attaches effectiveLabel/labelSource to one traffic type. */
export function withEffectiveLabel(t: TrafficType, devices: Record<TrafficTypeName, AgentDevice>): TrafficTypeLabel {
  if (t.kvmNetworkLabel !== null) return { ...t, effectiveLabel: t.kvmNetworkLabel, labelSource: 'cloudstack' };
  return { ...t, effectiveLabel: devices[t.trafficType].device, labelSource: 'agent-default' };
}

function globalSetting(role: Role): string {
  return { Management: 'kvm.private.network.device', Public: 'kvm.public.network.device', Guest: 'kvm.guest.network.device' }[role];
}
