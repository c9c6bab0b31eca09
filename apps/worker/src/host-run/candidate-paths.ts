import type { HostNetworkIntent } from '@hostnet/intent';
import { RENDER_TARGETS, renderPaths } from '@hostnet/render';

/**
 * Every file any target could write for this intent. Facts come before the target is known (the
 * target depends on them), so the one facts round trip hashes all of them; otherwise a file
 * outside the usual directories (e.g. /etc/sysconfig/network) would look new on every run.
 * renderPaths gives the paths renderHost would write without rendering any content.
 */
export function candidatePaths(intent: HostNetworkIntent): string[] {
  const paths = new Set<string>();
  for (const target of RENDER_TARGETS) {
    try {
      const { files, removes } = renderPaths(intent, target);
      // Files a target removes too, or facts would never see them exist.
      for (const path of [...files, ...removes]) paths.add(path);
    } catch {
      // A target that cannot render this intent (e.g. a linux target for an OVS intent) owns no files here.
    }
  }
  return [...paths].sort();
}
