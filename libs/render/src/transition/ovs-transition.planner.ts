import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveLink, LiveState } from '@hostnet/intent/domain/live-state';
import type { ApplyStep } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { ovsBondSettings } from '../format/bond-options';
import { fakeBridges, realBridges } from '../format/intent-lookups';
import { patchPortCommands, splinterArgv } from '../renderers/ovs-live-steps';
import { datapathWords, ifExists, type OvsCommand, ovsTransaction, recreateBridge, recreatePort, restoreKey } from './ovs-commands';
import { buildOvsLiveModel, isForeignName, type OvsLiveModel } from './ovs-live-model';
import { keepOccupiedLinks } from './occupied-links';
import { planPorts, type WantedPort } from './ovs-port-plan';
import type { TransitionPlan } from './transition-plan';
import { refuseCuttingOffVms } from './vm-path.guard';


export interface OvsTransitionOptions {
  ovsDatapathType?: RenderOptions['ovsDatapathType'];
  /** The expected state recorded by hostnet's last run: its bridges/bonds may be retired. */
  previous?: LiveState;
  /** false when activation creates bonds itself (classic ifupdown's hook uses a plain add-bond). */
  createBonds?: boolean;
}

const live = (name: string, argv: string[]): ApplyStep => ({ name, argv, phase: 'live' });

function createPortCommands(port: WantedPort): OvsCommand[] {
  if (port.patchPeer !== undefined) return patchPortCommands({ kind: 'ovs-patch', name: port.name, bridge: port.bridge, peer: port.patchPeer, peerBridge: '' });
  if (!port.bond) return [['--may-exist', 'add-port', port.bridge, port.name]];
  return [['--may-exist', 'add-bond', port.bridge, port.name, ...port.ifaces], ['set', 'port', port.name, ...ovsBondSettings(port.bond)]];
}

/**
 * Bridges the intent no longer names that hostnet made, emptied by this plan: a bridge that still
 * holds anything else (VM taps, the agent's VLAN bridges, ports hostnet does not manage) stays.
 */
function retiredBridges(intent: HostNetworkIntent, model: OvsLiveModel, removedPorts: Set<string>, movedFakes: Set<string>): string[] {
  const wanted = new Set(intent.bridges.map((b) => b.name));
  const candidate = (name: string) => !wanted.has(name) && model.hostnetNames.has(name) && !isForeignName(name);
  const empty = (bridge: string) => [...model.ports.values()].every((p) => p.bridge !== bridge || removedPorts.has(p.name));
  const fakes = [...model.fakeBridges.keys()].filter((f) => candidate(f) && empty(f));
  const gone = new Set([...fakes, ...movedFakes]);
  const reals = [...model.bridges.keys()].filter(
    (b) => candidate(b) && empty(b) && [...model.fakeBridges.values()].every((f) => f.parent !== b || gone.has(f.name)),
  );
  return [...fakes, ...reals];
}

/**
 * Plans the OVS transition from `liveState` to the intent, in the order OVS needs: new bridges;
 * every port change in ONE transaction (members leave their old bond in the same commit that
 * builds the new one, so there is no window without an uplink); bond settings; fake bridges;
 * VLAN splinters; then the emptied bridges hostnet made. Nothing when the live state matches.
 */
export function planOvsTransition(intent: HostNetworkIntent, liveState: LiveState, options: OvsTransitionOptions = {}): TransitionPlan {
  const model = buildOvsLiveModel(liveState, options.previous);
  const ports = keepOccupiedLinks(intent, model, planPorts(intent, model));
  const recreated = new Set(ports.created.map((p) => `${p.bridge} ${p.name}`));
  refuseCuttingOffVms(intent, liveState, { moved: ports.removed.filter((p) => !recreated.has(`${p.bridge} ${p.name}`)).map((p) => p.name), deleted: [] });
  const steps: ApplyStep[] = [];
  const undo = { head: [] as OvsCommand[], ports: [] as OvsCommand[], tail: [] as OvsCommand[] };
  const datapath = options.ovsDatapathType;

  for (const bridge of realBridges(intent)) {
    const have = model.bridges.get(bridge.name);
    if (!have) {
      const set = datapath ? ['--', 'set', 'bridge', bridge.name, `datapath_type=${datapath}`] : [];
      // no del-br in the undo: the restore removes a bridge the run made only while no VM tap has joined it
      steps.push(live(`ovs-add-br-${bridge.name}`, ['ovs-vsctl', '--may-exist', 'add-br', bridge.name, ...set]));
    } else if (datapath && have.ovsDatapathType !== undefined && have.ovsDatapathType !== datapath) {
      steps.push(live(`ovs-datapath-${bridge.name}`, ['ovs-vsctl', 'set', 'bridge', bridge.name, `datapath_type=${datapath}`]));
      const back = datapathWords(`live OVS bridge ${bridge.name}`, have.ovsDatapathType);
      undo.head.push(['set', 'bridge', bridge.name, ...(back.length > 0 ? back : ['datapath_type=""'])]);
    }
  }

  const created = options.createBonds === false ? ports.created.filter((p) => !p.bond) : ports.created;
  const portCommands = [...ports.removed.map((p) => ['--if-exists', 'del-port', p.name]), ...created.flatMap(createPortCommands)];
  if (ports.removed.length > 0) steps.push(live('ovs-transition-ports', ovsTransaction(portCommands)));
  else for (const port of created) steps.push(live(`ovs-add-${port.bond ? 'bond' : port.patchPeer !== undefined ? 'patch' : 'port'}-${port.name}`, ovsTransaction(createPortCommands(port))));
  undo.ports.push(...ports.created.map((p) => ['--if-exists', 'del-port', p.name]));
  undo.ports.push(...ports.removed.flatMap((p) => [['--if-exists', 'del-port', p.name], ...recreatePort(p, model.ifaces)]));

  for (const c of ports.converge) {
    steps.push(live(`ovs-set-${c.bond ? 'bond' : 'port'}-${c.name}`, ovsTransaction(c.forward)));
    undo.ports.push(...c.undo);
  }

  const movedFakes = new Set<string>();
  for (const fake of fakeBridges(intent)) {
    const have = model.fakeBridges.get(fake.name);
    const add = ['--may-exist', 'add-br', fake.name, fake.parent as string, String(fake.vlanId)];
    if (!have) {
      steps.push(live(`ovs-add-fake-br-${fake.name}`, ['ovs-vsctl', ...add]));
    } else if ((have.parent !== fake.parent || have.vlanId !== fake.vlanId) && (have.members ?? []).length === 0) {
      movedFakes.add(fake.name);
      steps.push(live(`ovs-move-fake-br-${fake.name}`, ovsTransaction([['del-br', fake.name], add])));
      undo.tail.unshift(['--if-exists', 'del-br', fake.name], ...recreateBridge(have));
    }
  }

  if (intent.vlanSplinters) {
    const fresh = new Set(created.flatMap((p) => p.ifaces));
    for (const nic of intent.nics) {
      const had = model.ifaces.get(nic.name)?.otherConfig['enable-vlan-splinters'];
      if (!fresh.has(nic.name) && had === 'true') continue;
      steps.push(live(`ovs-vlan-splinters-${nic.name}`, splinterArgv(nic.name)));
      if (!fresh.has(nic.name)) undo.ports.push(ifExists(restoreKey('interface', nic.name, 'enable-vlan-splinters', had)));
    }
  }

  const retired = retiredBridges(intent, model, new Set(ports.removed.map((p) => p.name)), movedFakes);
  for (const name of retired) {
    steps.push(live(`ovs-del-br-${name}`, ['ovs-vsctl', '--if-exists', 'del-br', name]));
    // a real bridge before the fake bridges on it, and both before the ports the undo puts back on them
    const fake = model.fakeBridges.get(name);
    if (fake) undo.head.push(...recreateBridge(fake));
    else undo.head.unshift(...recreateBridge(model.bridges.get(name) as LiveLink));
  }

  const undoCommands = [...undo.head, ...undo.ports, ...undo.tail];
  const wantedNames = new Set([...intent.bridges.map((b) => b.name), ...intent.bonds.map((b) => b.name), ...intent.nics.map((n) => n.name)]);
  return {
    steps,
    undoSteps: undoCommands.length > 0 ? [live('ovs-undo-transition', ovsTransaction(undoCommands))] : [],
    retired: [...retired, ...ports.removed.map((p) => p.name).filter((n) => !wantedNames.has(n))],
  };
}
