import type { BridgeIntent } from '@hostnet/intent/domain/host-network-intent';
import type { PlannedFile } from '../domain/file-plan';
import type { ApplyStep } from '../domain/rendered-config';
import { textFile } from '../format/text-file';

/** NetworkManager runs every executable here on each device event, as `script IFACE ACTION`. */
export const NM_FAKE_BRIDGE_HOOK_PATH = '/etc/NetworkManager/dispatcher.d/30-hostnet-ovs-fake-bridges';

/**
 * NetworkManager builds a tagged bridge as an `ovs-port` with `tag=` and its internal interface,
 * which is a fake bridge's whole layout except the Port's `fake_bridge` column: no NM setting sets
 * it, and without it `ovs-vsctl br-exists` (the CloudStack agent's check of a traffic label) and
 * libvirt's `add-port <label> vnetN` do not see a bridge. This dispatcher script sets it each time
 * NetworkManager brings the interface up (boot included); `names` are validated interface names.
 */
export function fakeBridgeHook(fakes: BridgeIntent[]): PlannedFile {
  const lines = () => [
    '#!/bin/sh',
    '# hostnet: mark NetworkManager-built tagged OVS ports as fake bridges (NetworkManager has no setting for it)',
    '[ "$2" = up ] || exit 0',
    'case "$1" in',
    `${fakes.map((f) => f.name).join('|')}) exec ovs-vsctl --timeout=30 set port "$1" fake_bridge=true ;;`,
    'esac',
  ];
  return { path: NM_FAKE_BRIDGE_HOOK_PATH, content: () => textFile(lines()), mode: 0o755 };
}

/**
 * The same marking now, after activation: the dispatcher runs asynchronously, and verification must
 * find the fake bridge. `wait-until` waits for NetworkManager to have created the Port.
 */
export function fakeBridgeSteps(fakes: BridgeIntent[]): ApplyStep[] {
  return fakes.map((f) => ({
    name: `ovs-fake-bridge-${f.name}`,
    argv: ['ovs-vsctl', '--timeout=30', 'wait-until', 'port', f.name, '--', 'set', 'port', f.name, 'fake_bridge=true'],
    phase: 'activate',
  }));
}
