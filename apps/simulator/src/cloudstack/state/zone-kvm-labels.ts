import type { SimulatorState } from './simulator-state';

/** The three device names a KVM host must have for a zone, as addHost / CheckNetworkCommand use them. */
export interface ZoneKvmLabels {
  private: string;
  public: string;
  guest: string;
}

/**
 * Labels from the zone's Management (private), Public and Guest traffic types; unset ones are filled
 * public←guest←private and finally `cloudbr0` (FACTS §3.2).
 */
export function zoneKvmLabels(state: SimulatorState, zoneId: string): ZoneKvmLabels {
  const networkIds = new Set(state.physicalNetworks.filter((n) => n.zoneId === zoneId).map((n) => n.id));
  const label = (type: string): string | undefined =>
    state.trafficTypes.find((t) => networkIds.has(t.physicalNetworkId) && t.trafficType === type)?.kvmNetworkLabel;
  const privateLabel = label('Management');
  const guestLabel = label('Guest') ?? privateLabel;
  const publicLabel = label('Public') ?? guestLabel;
  return {
    private: privateLabel ?? guestLabel ?? publicLabel ?? 'cloudbr0',
    guest: guestLabel ?? publicLabel ?? 'cloudbr0',
    public: publicLabel ?? 'cloudbr0',
  };
}

/** The distinct labels of a zone, in private, guest, public order. */
export function distinctLabels(labels: ZoneKvmLabels): string[] {
  return [...new Set([labels.private, labels.guest, labels.public])];
}
