import type { BridgeIntent, HostNetworkIntent } from '../domain/host-network-intent';
import { orderBridges } from '../builder/host-intent.builder';
import { compactIntent } from '../builder/intent-compactor';
import { validateHostIntent } from '../validation/host-intent.validator';
import { IntentValidationError, ViolationList } from '../validation/intent-violation';
import { patchPortName, vethNewEndName, vethOldEndName } from './relabel-link-names';
import { type BridgeRename, relabelRenames, type RelabelLayoutRequest } from './relabel-step.validator';

/** Every reference to bridge `from` renamed to `to` (ports, fake bridges' parents, routes, management). */
function renameBridge(intent: HostNetworkIntent, from: string, to: string): HostNetworkIntent {
  const name = (n: string | undefined) => (n === from ? to : n);
  return {
    ...intent,
    nics: intent.nics.map((n) => ({ ...n, bridge: name(n.bridge) })),
    bonds: intent.bonds.map((b) => ({ ...b, bridge: name(b.bridge) })),
    vlans: intent.vlans.map((v) => ({ ...v, bridge: name(v.bridge) })),
    bridges: intent.bridges.map((b) => ({ ...b, name: name(b.name) as string, parent: name(b.parent) })),
    routes: intent.routes.map((r) => ({ ...r, dev: name(r.dev) as string })),
    managementBridge: name(intent.managementBridge) as string,
  };
}

/** The bridge of a rename as CloudStack has it now (old or new name, either side of the flip), checked to move whole. */
function locate(intent: HostNetworkIntent, r: BridgeRename, errors: ViolationList): BridgeIntent | undefined {
  const hits = intent.bridges.filter((b) => b.name === r.oldLabel || b.name === r.newLabel);
  if (hits.length !== 1) {
    const problem = hits.length === 0 ? 'names no bridge of this host (neither label is one)' : 'names a bridge that exists under both labels';
    errors.add(`${r.field}.oldLabel`, r.oldLabel, problem, `check the host's intent: ${r.trafficTypes.join(', ')} must ride on ${r.oldLabel} or ${r.newLabel}`);
    return undefined;
  }
  const bridge = hits[0];
  const missing = r.trafficTypes.filter((t) => !bridge.trafficTypes.includes(t));
  const staying = bridge.trafficTypes.filter((t) => !r.trafficTypes.includes(t));
  if (bridge.role !== 'traffic-label' || missing.length > 0) {
    errors.add(`${r.field}.trafficType`, missing.join(', ') || r.trafficTypes.join(', '), `is not served by bridge ${bridge.name} on this host`, 'name the traffic types that bridge carries');
    return undefined;
  }
  if (staying.length > 0) {
    errors.add(`${r.field}.trafficType`, r.trafficTypes.join(', '), `moves only part of bridge ${bridge.name} (${staying.join(', ')} would stay), and splitting a bridge is not supported`, `relabel ${staying.join(', ')} to ${r.newLabel} in the same rollout`);
    return undefined;
  }
  return bridge;
}

/** OVS expand: NEW beside OLD with no uplink, joined by a patch port pair; OLD keeps its uplink and address. */
function expandOvs(intent: HostNetworkIntent, old: BridgeIntent, r: BridgeRename, errors: ViolationList): HostNetworkIntent {
  if (old.parent !== undefined) {
    errors.add(`${r.field}.oldLabel`, r.oldLabel, `is an OVS fake bridge (VLAN ${old.vlanId} of ${old.parent}); its expand layout is not built yet`, 'relabel an untagged bridge, or use layouts old and new only');
    return intent;
  }
  const fresh: BridgeIntent = { name: r.newLabel, role: old.role, trafficTypes: [...old.trafficTypes], mtu: old.mtu, stp: old.stp, forwardDelay: old.forwardDelay };
  const link = { kind: 'ovs-patch' as const, ends: [{ name: patchPortName(r.newLabel), bridge: r.oldLabel }, { name: patchPortName(r.oldLabel), bridge: r.newLabel }] as [{ name: string; bridge: string }, { name: string; bridge: string }] };
  return { ...intent, bridges: [...intent.bridges, fresh], links: [...(intent.links ?? []), link] };
}

/**
 * Linux expand (docs/relabel.md): the uplink moves to NEW (STP off, so the uplink port forwards at once);
 * OLD keeps its address and reaches the uplink through a veth pair whose OLD end matches the agent's pif patterns.
 */
function expandLinux(intent: HostNetworkIntent, old: BridgeIntent, r: BridgeRename, errors: ViolationList): HostNetworkIntent {
  const uplink = old.uplink;
  if (uplink === undefined) {
    errors.add(`${r.field}.oldLabel`, r.oldLabel, 'is a bridge without an uplink', 'relabel a bridge that has one');
    return intent;
  }
  const device = [...intent.nics, ...intent.bonds, ...intent.vlans].find((d) => d.name === uplink);
  const fresh: BridgeIntent = { name: r.newLabel, role: old.role, trafficTypes: [...old.trafficTypes], uplink, mtu: old.mtu, stp: false, forwardDelay: 0 };
  const moved = <T extends { name: string; bridge?: string }>(d: T): T => (d.name === uplink ? { ...d, bridge: r.newLabel } : d);
  const link = {
    kind: 'veth' as const,
    ends: [{ name: vethOldEndName(r.newLabel), bridge: r.oldLabel }, { name: vethNewEndName(r.oldLabel), bridge: r.newLabel }] as [{ name: string; bridge: string }, { name: string; bridge: string }],
    mtu: device?.mtu,
  };
  return {
    ...intent,
    nics: intent.nics.map(moved),
    bonds: intent.bonds.map(moved),
    vlans: intent.vlans.map(moved),
    bridges: [...intent.bridges.map((b) => (b.name === old.name ? { ...b, uplink: undefined } : b)), fresh],
    links: [...(intent.links ?? []), link],
  };
}

/**
 * The host's intent for one layout of a relabel step, whatever label CloudStack has at the moment (the
 * intent may carry the old or the new bridge name: both give the same result, so the spec hash is the
 * same on either side of the flip). `old`: the old bridges; `new`: the new ones (the transition planner
 * retires the old bridge hostnet made); `both`: the expand layout of docs/relabel.md. Pure; throws
 * IntentValidationError naming the step's field and the fix.
 */
export function relabelIntent(intent: HostNetworkIntent, step: RelabelLayoutRequest): HostNetworkIntent {
  const renames = relabelRenames(step);
  const errors = new ViolationList();
  let out = intent;
  const located: Array<{ rename: BridgeRename; bridge: BridgeIntent }> = [];
  for (const rename of renames) {
    const bridge = locate(out, rename, errors);
    if (!bridge) continue;
    if (bridge.name === rename.newLabel) out = renameBridge(out, rename.newLabel, rename.oldLabel);
    located.push({ rename, bridge: { ...bridge, name: rename.oldLabel } });
  }
  if (errors.empty) {
    for (const { rename, bridge } of located) {
      const current = out.bridges.find((b) => b.name === bridge.name) as BridgeIntent;
      if (step.layout === 'new') out = renameBridge(out, rename.oldLabel, rename.newLabel);
      else if (step.layout === 'both') out = out.backend === 'ovs' ? expandOvs(out, current, rename, errors) : expandLinux(out, current, rename, errors);
    }
  }
  if (!errors.empty) throw new IntentValidationError(errors.items);
  const result = compactIntent({ ...out, bridges: orderBridges([...out.bridges]) });
  const violations = validateHostIntent(result).map((v) => ({ ...v, field: `relabel.intent.${v.field}`, message: `relabel.intent.${v.message}` }));
  if (violations.length > 0) throw new IntentValidationError(violations);
  return result;
}
