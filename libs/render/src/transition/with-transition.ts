import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import { expectedLiveState } from '@hostnet/intent/live/expected-live-state';
import type { ApplyStep, RenderedConfig } from '../domain/rendered-config';
import { LiveStateRefusal } from '../domain/render-errors';
import type { RenderOptions } from '../domain/render-options';
import { ifcfgPath } from '../renderers/el-network-scripts-linux.renderer';
import { nmKeyfilePath } from '../renderers/networkmanager.renderer';
import { nmOvsId } from '../renderers/networkmanager-ovs.renderer';
import { refuseRetiringAgentDevices } from './agent-devices.guard';
import { refuseBackendSwitch } from './backend-switch.guard';
import { refuseBondParamChanges } from './bond-params.guard';
import { refuseOvsDatabaseDown } from './ovs-database.guard';
import { droppedNics } from './dropped-nics';
import { refuseDroppingForeignBondMembers } from './foreign-bond-members.guard';
import { refuseLosingAddressing } from './lost-addressing.guard';
import { refuseMissingNics } from './missing-nics.guard';
import { refuseStartingStp } from './stp-start.guard';
import { refuseLoweringMtu } from './mtu-lowering.guard';
import { planLinuxTransition } from './linux-transition.planner';
import { planOvsTransition } from './ovs-transition.planner';
import type { TransitionPlan } from './transition-plan';

/** Releases and deletions: what takes a link out, as opposed to the links a plan makes. */
const isTeardown = (step: ApplyStep) => step.name.startsWith('release-') || step.name.startsWith('link-del-');

const OVS_KINDS = ['ovs-bridge', 'ovs-port', 'ovs-interface'] as const;

/**
 * Config files of retired devices and dropped NICs, for targets that keep one file per device (the others
 * rewrite theirs whole). A NIC's NetworkManager profile is named after it on both NetworkManager targets.
 */
function retiredFiles(target: RenderedConfig['target'], retired: string[], nics: string[]): string[] {
  if (target.startsWith('el-network-scripts-')) return [...retired, ...nics].map(ifcfgPath);
  if (target === 'networkmanager-linux') return [...retired, ...nics].map(nmKeyfilePath);
  if (target === 'networkmanager-ovs') return [...retired.flatMap((name) => OVS_KINDS.map((kind) => nmKeyfilePath(nmOvsId(kind, name)))), ...nics.map(nmKeyfilePath)];
  return [];
}

/**
 * A target's from-scratch rendering turned into a transition from the host's live state: OVS
 * targets' live steps are replaced by the planned ones (the activation stays); linux targets get the
 * planned releases/deletions ahead of their activation. Files of retired devices are removed.
 */
export function withTransition(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, options: RenderOptions, expected: LiveState = expectedLiveState(intent)): RenderedConfig {
  let plan: TransitionPlan;
  try {
    refuseOvsDatabaseDown(intent, config.target, options.openvswitchDown);
    refuseBackendSwitch(intent, live);
    refuseMissingNics(intent, live);
    refuseDroppingForeignBondMembers(intent, live, options.previous);
    refuseLosingAddressing(intent, live, options.previous, expected);
    refuseLoweringMtu(intent, live, expected);
    refuseBondParamChanges(intent, live, expected);
    refuseStartingStp(intent, live, expected);
    plan =
      intent.backend === 'ovs'
        ? planOvsTransition(intent, live, {
            ...(options.ovsDatapathType ? { ovsDatapathType: options.ovsDatapathType } : {}),
            ...(options.previous ? { previous: options.previous } : {}),
            createBonds: config.target !== 'debian-ifupdown-ovs' || options.ifupdown2 === true,
          })
        : planLinuxTransition(intent, live, options.previous, expected);
    refuseRetiringAgentDevices(plan.retired, options.agentDevices);
  } catch (error) {
    if (!(error instanceof LiveStateRefusal)) throw error;
    return { ...config, steps: [], undoSteps: [], refusal: `${error.name}: ${error.message}` };
  }
  const activation = config.steps.filter((s) => s.phase !== 'live');
  // NetworkManager creates and deletes its own OVS rows (a profile gone on reload takes its rows along):
  // ovs-vsctl changes beside it would fight it, so only the retired profiles' files go.
  const nmOwnsOvs = config.target === 'networkmanager-ovs';
  const written = new Set(config.files.map((f) => f.path));
  const dropped = droppedNics(intent, options.previous, live).map((l) => l.name);
  const retired = new Set(retiredFiles(config.target, plan.retired, dropped));
  const removes = [...config.removes, ...[...retired].filter((p) => !written.has(p) && !config.removes.includes(p))];
  return {
    ...config,
    removes,
    steps: nmOwnsOvs ? config.steps : intent.backend === 'ovs' ? [...plan.steps, ...activation] : linuxSteps(config, plan),
    undoSteps: nmOwnsOvs ? [] : plan.undoSteps,
  };
}

/**
 * The planned links, moves, releases and deletions ahead of the activation, so a port goes straight from
 * one bridge into the other before anything is deleted, and the links found down set up, the MTUs and the bonds' and bridges' parameters set last. systemd-networkd (netplan-linux) is the exception
 * for the moves: it puts a port moved under its old configuration back where that configuration says
 * (seen in the lab: the run failed verification), so there they run after `netplan apply` has loaded the
 * new one (which already moves the port itself; the step then only makes sure).
 */
function linuxSteps(config: RenderedConfig, plan: TransitionPlan): ApplyStep[] {
  const moves = plan.moves ?? [];
  const after = [...(plan.ups ?? []), ...(plan.mtus ?? []), ...(plan.params ?? [])];
  const [links, rest] = [plan.steps.filter((s) => !isTeardown(s)), plan.steps.filter(isTeardown)];
  if (config.target === 'netplan-linux') return [...links, ...rest, ...config.steps, ...moves, ...after];
  return [...links, ...moves, ...rest, ...config.steps, ...after];
}
