import { parse } from 'yaml';
import { readSimpleYaml } from '@hostnet/intent';

/**
 * A netplan file's YAML as plain data, exactly as the `yaml` package's `parse` reads it, and throwing where it
 * throws. The plain block YAML netplan files are written in (hostnet's own among them) goes through
 * readSimpleYaml, linear and several times faster: a run reads a host's netplan files up to three times, and
 * `parse` was the largest part of the worker's own CPU in a no-op re-run after hostnet's file was on the host.
 * Anything outside that subset (and a duplicate key, which `parse` refuses) goes to `parse`.
 */
export function parseNetplanYaml(content: string): unknown {
  const fast = readSimpleYaml(content);
  return fast.kind === 'value' ? fast.value : parse(content);
}
