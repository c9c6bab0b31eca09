import type { HostNetworkIntent } from '@hostnet/intent';
import { renderPaths, renderTargetsOf } from '@hostnet/render';

/**
 * Every file any target could write for this intent. Facts come before the target is known (the
 * target depends on them), so the one facts round trip hashes all of them; otherwise a file
 * outside the usual directories (e.g. /etc/sysconfig/network) would look new on every run.
 * renderPaths gives the paths renderHost would write without rendering any content.
 */
export function candidatePaths(intent: HostNetworkIntent): string[] {
  const paths = new Set<string>();
  // Only the intent's backend: asking the others would build and throw an error per target, per host.
  for (const target of renderTargetsOf(intent.backend)) {
    try {
      const { files, removes } = renderPaths(intent, target);
      // Files a target removes too, or facts would never see them exist.
      for (const path of [...files, ...removes]) paths.add(path);
    } catch {
      // A target that cannot render this intent (e.g. bridge links it does not render) owns no files here.
    }
  }
  return [...paths].sort();
}
