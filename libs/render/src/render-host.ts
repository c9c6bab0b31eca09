import { expectedLiveState, liveDifferences } from '@hostnet/intent';
import { changedPaths, type PreviousFiles } from './activation/activation-steps';
import { ifupdownActivation } from './activation/ifupdown-activation';
import { netplanActivation } from './activation/netplan-activation';
import { networkManagerActivation } from './activation/networkmanager-activation';
import { networkManagerOvsActivation } from './activation/networkmanager-ovs-activation';
import { networkScriptsActivation } from './activation/network-scripts-activation';
import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { RenderedConfig, RenderTargetId } from './domain/rendered-config';
import type { RenderOptions } from './domain/render-options';
import { LiveStateRefusal, RenderError, UnsupportedBackendError } from './domain/render-errors';
import { assertRenderableIntent } from './validation/render-guard';
import { renderDebianIfupdownLinux } from './renderers/debian-ifupdown-linux.renderer';
import { renderDebianIfupdownOvs } from './renderers/debian-ifupdown-ovs.renderer';
import { renderElNetworkScriptsLinux } from './renderers/el-network-scripts-linux.renderer';
import { renderElNetworkScriptsOvs } from './renderers/el-network-scripts-ovs.renderer';
import { renderNetplan } from './renderers/netplan.renderer';
import { renderNetworkManager } from './renderers/networkmanager.renderer';
import { renderNetworkManagerOvs } from './renderers/networkmanager-ovs.renderer';
import { withoutAgentLinuxCloud0 } from './transition/agent-linux-cloud0';
import { withTransition } from './transition/with-transition';
import { withForeignConfigsNeutralised } from './foreign/foreign-configs';
import { withAdoptedProfileUuids } from './foreign/adopted-uuids';
import {
  netplanReconfiguredDevices,
  nmDeactivatedDevices,
  refuseLosingAddressingOnActivation,
  refuseNetplanReconfiguring,
  refuseReactivatingOccupiedOvsBridges,
  refuseTakingDownOccupiedBridges,
  refuseTakingDownStackedDevices,
  restartedDevices,
  takenDownDevices,
} from './activation/activation.guard';

/** Every target id, in a stable order (CLI help, benchmarks, tests). */
export const RENDER_TARGETS: readonly RenderTargetId[] = [
  'el-network-scripts-linux',
  'el-network-scripts-ovs',
  'debian-ifupdown-linux',
  'debian-ifupdown-ovs',
  'netplan-linux',
  'netplan-ovs',
  'networkmanager-linux',
  'networkmanager-ovs',
];

const TARGET_BACKEND: Record<RenderTargetId, 'linux' | 'ovs'> = {
  'el-network-scripts-linux': 'linux',
  'el-network-scripts-ovs': 'ovs',
  'debian-ifupdown-linux': 'linux',
  'debian-ifupdown-ovs': 'ovs',
  'netplan-linux': 'linux',
  'netplan-ovs': 'ovs',
  'networkmanager-linux': 'linux',
  'networkmanager-ovs': 'ovs',
};

/**
 * Targets that render bridge links (a relabel's expand layout, docs/relabel.md "Render matrix"): every
 * OVS target's patch pair, and the veth pair on the linux targets listed. The others refuse links.
 */
export const EXPAND_LAYOUT_TARGETS: readonly RenderTargetId[] = ['el-network-scripts-ovs', 'debian-ifupdown-ovs', 'netplan-ovs', 'debian-ifupdown-linux', 'networkmanager-linux', 'netplan-linux'];
const LINK_TARGETS: ReadonlySet<RenderTargetId> = new Set(EXPAND_LAYOUT_TARGETS);

/** The targets that render a backend: the only ones worth asking for an intent of that backend. */
export function renderTargetsOf(backend: HostNetworkIntent['backend']): RenderTargetId[] {
  return RENDER_TARGETS.filter((target) => TARGET_BACKEND[target] === backend);
}

/** Type guard for a target id coming from outside (CLI flag, job payload). */
export function isRenderTargetId(value: unknown): value is RenderTargetId {
  return typeof value === 'string' && (RENDER_TARGETS as readonly string[]).includes(value);
}

/** Throws unless the target can render the intent: a known target, valid values, the intent's backend, links only where rendered. renderPaths checks the same. */
export function assertTargetRenders(intent: HostNetworkIntent, target: RenderTargetId): void {
  if (!isRenderTargetId(target)) throw new RenderError(`target ${JSON.stringify(target)}: use one of ${RENDER_TARGETS.join(', ')}`);
  assertRenderableIntent(intent);
  if (TARGET_BACKEND[target] !== intent.backend) {
    const same = target.replace(/-(linux|ovs)$/, `-${intent.backend}`);
    const fit = isRenderTargetId(same) ? `target ${same}` : `a target of backend ${intent.backend} (${renderTargetsOf(intent.backend).join(', ')})`;
    throw new UnsupportedBackendError(`target ${target} renders backend ${TARGET_BACKEND[target]} but the intent's backend is ${intent.backend}; fix: render it for ${fit}, or build the intent for backend ${TARGET_BACKEND[target]}`);
  }
  if ((intent.links ?? []).length > 0 && !LINK_TARGETS.has(target)) {
    throw new UnsupportedBackendError(`links: target ${target} does not render bridge links (a relabel's expand layout) yet; fix: relabel this host with layouts old and new only, or use an OVS host`);
  }
}

/**
 * Renders one host's configuration for a target: validates every value, checks the target's
 * backend matches the intent's, then dispatches to the target's renderer. With `options.live` the
 * steps are the transition from that live state (and `undoSteps` its undo), the agent's Linux cloud0 on an
 * Open vSwitch host left to the agent (withoutAgentLinuxCloud0). Pure and deterministic.
 */
export function renderHost(given: HostNetworkIntent, target: RenderTargetId, options: RenderOptions = {}): RenderedConfig {
  assertTargetRenders(given, target);
  const intent = options.live ? withoutAgentLinuxCloud0(given, options.live) : given;
  const config = renderTarget(intent, target, options);
  // one derivation for every live-state guard and plan of this render, each of which would derive it again
  const expected = options.live ? expectedLiveState(intent) : undefined;
  const planned = options.live ? withTransition(config, intent, options.live, options, expected) : config;
  // a refusal from the live state runs nothing: it is the answer, whatever the host's other files would need
  if (planned.refusal !== undefined) return planned;
  const activated = options.previousFiles ? withSurgicalActivation(withTakeOver(planned, intent, options.previousFiles, options.live), intent, options.previousFiles, options.live, expected) : planned;
  return options.live ? withActivationGuards(activated, intent, options.live, options.previous, options.previousFiles, expected) : activated;
}

/** Other owners' configs for hostnet's interfaces moved aside, and the NetworkManager profiles hostnet replaces taken over by uuid. */
function withTakeOver(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState | undefined): RenderedConfig {
  return withAdoptedProfileUuids(withForeignConfigsNeutralised(config, intent, previous, live), previous, live);
}

/**
 * The live-state guards on what the activation itself takes down, a whole-network restart it kept included
 * (without the host's files, or with one too large to read): a refusal runs nothing, as withTransition's do.
 */
function withActivationGuards(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previous: LiveState | undefined, previousFiles: PreviousFiles | undefined, expected?: LiveState): RenderedConfig {
  try {
    // A whole-network restart's: the narrower activations never take a bridge down on their own (network-scripts-
    // activation.ts), and a relabel contract's ifdown of a bridge is planned with its VMs' ports in mind (lab-proven).
    refuseTakingDownOccupiedBridges(restartedDevices(config, live, previousFiles), live);
    refuseReactivatingOccupiedOvsBridges(config, live);
    refuseTakingDownStackedDevices(takenDownDevices(config, intent, live, previousFiles), intent, live, previous);
    refuseLosingAddressingOnActivation(config, intent, live, previousFiles, expected);
    refuseNetplanReconfiguring(config, intent, live, previous, previousFiles, expected);
  } catch (error) {
    if (!(error instanceof LiveStateRefusal)) throw error;
    const restart = restartedDevices(config, live, previousFiles).length > 0 ? ` (${RESTART_NOTE})` : '';
    const nm = nmDeactivatedDevices(config, intent, live).length > 0 ? ` (${NM_NOTE})` : '';
    const netplan = netplanReconfiguredDevices(config, intent, live, previousFiles, expected).length > 0 ? ` (${NETPLAN_NOTE}${netplanDriftNote(config, intent, live, previousFiles)})` : '';
    return { ...config, steps: [], undoSteps: [], refusal: `${error.name}: ${error.message}${restart}${nm}${netplan}` };
  }
  return config;
}

const RESTART_NOTE =
  "the activation is the whole-network restart, which takes down every interface it configures, because hostnet could not plan a narrower one: " +
  'the host\'s files were not read, or a file the run changes was too large to read or is not one the narrower activation understands';
const NM_NOTE =
  'NetworkManager: `nmcli connection up` of a profile active on its device deactivates the device first, and the ports hostnet configures under it with it: ' +
  'their addresses and routes go, the profiles\' come back, and a bond left without members takes the link from the VLAN interfaces on it';
const NETPLAN_NOTE =
  'netplan: `netplan apply` has systemd-networkd reconfigure every link hostnet\'s netplan file names, changed or not, which drops the addresses and routes ' +
  'no netplan file gives it and re-enslaves a bond\'s members';

/** A refused netplan apply the host's files did not call for: the live drift it was run for, and the narrower fix. */
function netplanDriftNote(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, previousFiles: PreviousFiles | undefined): string {
  if (previousFiles === undefined || changedPaths(config, previousFiles).length > 0) return '';
  const drift = liveDifferences(expectedLiveState(intent), live);
  return (
    `; the host's files are this run's already, and it would run netplan apply for live drift no narrower step repairs (${drift.join('; ')}): ` +
    'or repair that by hand (the device, address or route as the netplan file gives it) and run again, which is then a no-op'
  );
}

/**
 * The whole-network restart becomes ifdown/ifup of only what changes: network-scripts' `service
 * network restart` (the interfaces whose files change), classic ifupdown's `networking restart` (the
 * stanzas that change; its `ifup --allow=ovs` of every OVS bridge goes too, the plan raises the new
 * and changed ones), NetworkManager's `nmcli connection up` of every bridge, linux or OVS (the profiles
 * that change or whose interface runs otherwise). ifupdown2's `ifreload -a` is differential already and stays.
 * netplan-linux's `netplan apply` goes from a run that changes no file and mends only parameters, either netplan
 * target's from one that changes no file and finds nothing drifted (a forced run).
 */
function withSurgicalActivation(config: RenderedConfig, intent: HostNetworkIntent, previous: PreviousFiles, live: LiveState | undefined, expected: LiveState | undefined): RenderedConfig {
  switch (config.target) {
    case 'el-network-scripts-linux':
    case 'el-network-scripts-ovs': {
      const surgical = networkScriptsActivation(config, previous);
      return surgical ? { ...config, steps: config.steps.flatMap((s) => (s.name === 'network-restart' ? surgical : [s])) } : config;
    }
    case 'debian-ifupdown-linux':
    case 'debian-ifupdown-ovs': {
      const surgical = config.steps.some((s) => s.name === 'networking-restart') ? ifupdownActivation(config, previous) : undefined;
      if (!surgical) return config;
      return { ...config, steps: config.steps.flatMap((s) => (s.name === 'networking-restart' ? surgical : s.name === 'ifup-allow-ovs' ? [] : [s])) };
    }
    case 'networkmanager-linux':
    case 'networkmanager-ovs': {
      const surgical = config.target === 'networkmanager-linux' ? networkManagerActivation(config, intent, previous, live, expected) : networkManagerOvsActivation(config, intent, previous, live, expected);
      if (!surgical) return config;
      const reload = config.steps.findIndex((s) => s.name === 'nmcli-reload');
      const kept = config.steps.filter((s) => !s.name.startsWith('nmcli-up-'));
      return { ...config, steps: [...kept.slice(0, reload + 1), ...surgical, ...kept.slice(reload + 1)] };
    }
    case 'netplan-linux':
    case 'netplan-ovs':
      return live ? netplanActivation(config, intent, previous, live, expected) : config;
    default:
      return config;
  }
}

function renderTarget(intent: HostNetworkIntent, target: RenderTargetId, options: RenderOptions): RenderedConfig {
  switch (target) {
    case 'el-network-scripts-linux':
      return renderElNetworkScriptsLinux(intent);
    case 'el-network-scripts-ovs':
      return renderElNetworkScriptsOvs(intent, options);
    case 'debian-ifupdown-linux':
      return renderDebianIfupdownLinux(intent, options);
    case 'debian-ifupdown-ovs':
      return renderDebianIfupdownOvs(intent, options);
    case 'netplan-linux':
    case 'netplan-ovs':
      return renderNetplan(intent, options);
    case 'networkmanager-linux':
      return renderNetworkManager(intent);
    case 'networkmanager-ovs':
      return renderNetworkManagerOvs(intent, options);
  }
}
