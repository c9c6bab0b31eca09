import type { PreviousFiles } from '../../src/activation/activation-steps';
import type { RenderedConfig } from '../../src/domain/rendered-config';

/** The host's files after a run: the written files in place, the moved ones gone (what facts read on a re-run). */
export function filesAfterRun(config: RenderedConfig, before: PreviousFiles): PreviousFiles {
  const after = new Map([...before].filter(([path]) => !config.removes.includes(path)));
  for (const f of config.files) after.set(f.path, { content: f.content });
  return after;
}
