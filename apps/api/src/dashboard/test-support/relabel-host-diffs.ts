import { planRelabel } from '@hostnet/relabel';
import { buildZone } from '../../../../../libs/relabel/test-support/zone-builder';
import { centosLinuxBridgeIntent } from '../../../../../libs/render/test/fixtures/reference-intents';
import { relabelHostDiff, type RelabelHostDiff } from '../../relabels/relabel-host-diff';

const ZONE = buildZone({ clusterSizes: [2] });
const CHANGES = [{ physicalNetworkId: 'pn-2', trafficType: 'Public' as const, oldLabel: 'cloudbr1', newLabel: 'cloudbr5' }];

/** A real diff of a Linux-bridge host on a tagged change: expand, switch (no file), contract, and the three steps back. */
export function linuxDiff(): RelabelHostDiff {
  const plan = planRelabel({
    topology: ZONE,
    changes: [{ physicalNetwork: 'Physical Network 2', trafficType: 'Public', newLabel: 'cloudbr5' }],
    hostFacts: Object.fromEntries(ZONE.hosts.map((h) => [h.id, { backend: 'linux' as const, pifs: { cloudbr0: 'bond0', cloudbr1: 'bond1' } }])),
  });
  return relabelHostDiff({ rolloutId: 'r1', changes: CHANGES, plan, hostId: ZONE.hosts[0]!.id, intent: centosLinuxBridgeIntent, target: 'debian-ifupdown-linux', targetSource: 'detected' });
}
