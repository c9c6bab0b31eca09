import type { HostNetworkIntent } from '@hostnet/intent/domain/host-network-intent';
import type { FilePlan } from './domain/file-plan';
import type { RenderTargetId } from './domain/rendered-config';
import type { RenderOptions } from './domain/render-options';
import { assertTargetRenders } from './render-host';
import { debianIfupdownLinuxFiles } from './renderers/debian-ifupdown-linux.renderer';
import { debianIfupdownOvsFiles } from './renderers/debian-ifupdown-ovs.renderer';
import { elNetworkScriptsLinuxFiles } from './renderers/el-network-scripts-linux.renderer';
import { elNetworkScriptsOvsFiles } from './renderers/el-network-scripts-ovs.renderer';
import { netplanFiles } from './renderers/netplan.renderer';
import { networkManagerFiles } from './renderers/networkmanager.renderer';
import { networkManagerOvsFiles } from './renderers/networkmanager-ovs.renderer';

/** The paths a target writes and removes for an intent. */
export interface RenderedPaths {
  files: string[];
  removes: string[];
}

/** Each target's file list: the one its renderer writes, so the paths cannot drift from renderHost's. */
const TARGET_FILES: Record<RenderTargetId, (intent: HostNetworkIntent, options: RenderOptions) => FilePlan> = {
  'el-network-scripts-linux': elNetworkScriptsLinuxFiles,
  'el-network-scripts-ovs': elNetworkScriptsOvsFiles,
  'debian-ifupdown-linux': debianIfupdownLinuxFiles,
  'debian-ifupdown-ovs': debianIfupdownOvsFiles,
  'netplan-linux': netplanFiles,
  'netplan-ovs': netplanFiles,
  'networkmanager-linux': networkManagerFiles,
  'networkmanager-ovs': networkManagerOvsFiles,
};

/**
 * The paths renderHost(intent, target) gives in `files[].path` (same order) and `removes`, without
 * rendering any content or step: for a caller that needs them before it knows the host's target (the
 * worker's facts). Throws exactly where renderHost does (the same checks), so a target that cannot
 * render the intent has no paths. No options: paths never depend on them; live state and
 * previousFiles (transitions, neutralised foreign configs) are renderHost's alone.
 */
export function renderPaths(intent: HostNetworkIntent, target: RenderTargetId): RenderedPaths {
  assertTargetRenders(intent, target);
  const plan = TARGET_FILES[target](intent, {});
  return { files: plan.files.map((f) => f.path), removes: [...plan.removes] };
}
