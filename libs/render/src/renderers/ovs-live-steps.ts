import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { ApplyStep } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { ovsBondSettings } from '../format/bond-options';
import { bondsOf, directNicsOf, fakeBridges, type LinkPort, linkPorts, realBridges } from '../format/intent-lookups';

/** `add-port` + `set interface` words for one patch port (one transaction; the peer may not exist yet: the port then stays down). */
export function patchPortCommands(port: LinkPort): string[][] {
  return [
    ['--may-exist', 'add-port', port.bridge, port.name],
    ['set', 'interface', port.name, 'type=patch', `options:peer=${port.peer}`],
  ];
}

/** `enable-vlan-splinters` words for one NIC (the reference's workaround for old NIC drivers). */
export function splinterArgv(nic: string): string[] {
  return ['ovs-vsctl', 'set', 'interface', nic, 'other-config:enable-vlan-splinters=true'];
}

/**
 * The OVS database changes for an intent, as `ovs-vsctl` argv. OVS applies them at once, so they
 * run before the files are activated; every step is idempotent (`--may-exist`, then `set` to
 * converge settings of a port that already existed), so a second run changes nothing.
 */
export function renderOvsLiveSteps(intent: HostNetworkIntent, options: RenderOptions = {}): ApplyStep[] {
  const steps: ApplyStep[] = [];
  for (const bridge of realBridges(intent)) {
    const datapath = options.ovsDatapathType ? ['--', 'set', 'bridge', bridge.name, `datapath_type=${options.ovsDatapathType}`] : [];
    steps.push({ name: `ovs-add-br-${bridge.name}`, argv: ['ovs-vsctl', '--may-exist', 'add-br', bridge.name, ...datapath], phase: 'live' });
    for (const bond of bondsOf(intent, bridge.name)) {
      steps.push({
        name: `ovs-add-bond-${bond.name}`,
        argv: ['ovs-vsctl', '--may-exist', 'add-bond', bridge.name, bond.name, ...bond.members, '--', 'set', 'port', bond.name, ...ovsBondSettings(bond)],
        phase: 'live',
      });
    }
    for (const nic of directNicsOf(intent, bridge.name)) {
      steps.push({ name: `ovs-add-port-${nic.name}`, argv: ['ovs-vsctl', '--may-exist', 'add-port', bridge.name, nic.name], phase: 'live' });
    }
  }
  for (const port of linkPorts(intent)) {
    const [add, set] = patchPortCommands(port);
    steps.push({ name: `ovs-add-patch-${port.name}`, argv: ['ovs-vsctl', ...add, '--', ...set], phase: 'live' });
  }
  for (const fake of fakeBridges(intent)) {
    steps.push({
      name: `ovs-add-fake-br-${fake.name}`,
      argv: ['ovs-vsctl', '--may-exist', 'add-br', fake.name, fake.parent as string, String(fake.vlanId)],
      phase: 'live',
    });
  }
  if (intent.vlanSplinters) {
    for (const nic of intent.nics) steps.push({ name: `ovs-vlan-splinters-${nic.name}`, argv: splinterArgv(nic.name), phase: 'live' });
  }
  return steps;
}
