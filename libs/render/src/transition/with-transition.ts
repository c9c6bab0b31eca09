import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { LiveState } from '@hostnet/intent/domain/live-state';
import type { RenderedConfig } from '../domain/rendered-config';
import type { RenderOptions } from '../domain/render-options';
import { ifcfgPath } from '../renderers/el-network-scripts-linux.renderer';
import { networkdVethPaths } from '../renderers/networkd-veth-files';
import { NM_CONNECTIONS_DIR } from '../renderers/networkmanager.renderer';
import { planLinuxTransition } from './linux-transition.planner';
import { planOvsTransition } from './ovs-transition.planner';

/** Config files of retired devices, for targets that keep one file per device (the others rewrite theirs whole). */
function retiredFiles(target: RenderedConfig['target'], retired: string[], live: LiveState): string[] {
  if (target.startsWith('el-network-scripts-')) return retired.map(ifcfgPath);
  if (target === 'networkmanager-linux') return retired.map((name) => `${NM_CONNECTIONS_DIR}/${name}.nmconnection`);
  // netplan keeps one YAML, but a veth pair lives in networkd files of its own (networkd-veth-files)
  if (target === 'netplan-linux') return retired.filter((name) => live.links.some((l) => l.name === name && l.peer !== undefined)).flatMap(networkdVethPaths);
  return [];
}

/**
 * A target's from-scratch rendering turned into a transition from the host's live state: OVS
 * targets' live steps are replaced by the planned ones (the activation stays); linux targets get the
 * planned releases/deletions ahead of their activation. Files of retired devices are removed.
 */
export function withTransition(config: RenderedConfig, intent: HostNetworkIntent, live: LiveState, options: RenderOptions): RenderedConfig {
  const plan =
    intent.backend === 'ovs'
      ? planOvsTransition(intent, live, {
          ...(options.ovsDatapathType ? { ovsDatapathType: options.ovsDatapathType } : {}),
          ...(options.previous ? { previous: options.previous } : {}),
          createBonds: config.target !== 'debian-ifupdown-ovs' || options.ifupdown2 === true,
        })
      : planLinuxTransition(intent, live, options.previous);
  const activation = config.steps.filter((s) => s.phase !== 'live');
  const written = new Set(config.files.map((f) => f.path));
  const removes = [...config.removes, ...retiredFiles(config.target, plan.retired, live).filter((p) => !written.has(p) && !config.removes.includes(p))];
  return {
    ...config,
    removes,
    steps: intent.backend === 'ovs' ? [...plan.steps, ...activation] : [...plan.steps, ...config.steps],
    undoSteps: plan.undoSteps,
  };
}
