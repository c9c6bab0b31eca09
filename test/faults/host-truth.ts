import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotFiles } from '../support/host-files';

/** A host's network configuration as the host itself holds it: config file hashes and live state. */
export interface HostTruth {
  /** Relative path → sha256 of every file under etc/ and sbin/ (what hostnet may write). */
  files: Map<string, string>;
  /** The running network (.sim/live-state.json), canonical JSON. */
  live: string;
}

/** Which configuration a host is on, compared with its state before the run and a fault-free run's. */
export type Side = 'old' | 'new' | 'mixed';

export function readTruth(rootDir: string): HostTruth {
  const marks = snapshotFiles(rootDir, (rel) => !['etc', 'sbin'].some((top) => rel === top || rel.startsWith(`${top}/`)));
  const files = new Map([...marks].map(([path, mark]) => [path, mark.sha256]));
  const live = JSON.stringify(JSON.parse(readFileSync(join(rootDir, '.sim', 'live-state.json'), 'utf8')));
  return { files, live };
}

/** Where `now` stands between `old` and `fresh` (files and live state judged apart), with evidence. */
export function sideOf(now: HostTruth, old: HostTruth, fresh: HostTruth): { files: Side; live: Side; evidence: string[] } {
  const files = sameFiles(now.files, old.files) ? 'old' : sameFiles(now.files, fresh.files) ? 'new' : 'mixed';
  const live = now.live === old.live ? 'old' : now.live === fresh.live ? 'new' : 'mixed';
  const evidence: string[] = [];
  if (files === 'mixed') evidence.push(`files: ${fileMix(now.files, old.files, fresh.files).join(', ')}`);
  if (live === 'mixed') evidence.push('live state is neither the old nor the new one');
  if (files !== 'mixed' && live !== 'mixed' && files !== live) evidence.push(`files ${files}, live state ${live}`);
  return { files, live, evidence };
}

function sameFiles(a: Map<string, string>, b: Map<string, string>): boolean {
  return a.size === b.size && [...a].every(([path, hash]) => b.get(path) === hash);
}

/** Each file that is on neither side as a whole: old, new, both or neither version of it. */
function fileMix(now: Map<string, string>, old: Map<string, string>, fresh: Map<string, string>): string[] {
  const paths = new Set([...now.keys(), ...old.keys(), ...fresh.keys()]);
  const label = (path: string) => {
    const h = now.get(path);
    const isOld = h === old.get(path);
    const isNew = h === fresh.get(path);
    if (isOld && isNew) return undefined;
    return `${path}=${isOld ? 'old' : isNew ? 'new' : h === undefined ? 'missing' : 'other'}`;
  };
  const labels = [...paths].map(label).filter((l): l is string => l !== undefined).sort();
  return labels.length > 6 ? [...labels.slice(0, 6), `+${labels.length - 6} more`] : labels;
}
