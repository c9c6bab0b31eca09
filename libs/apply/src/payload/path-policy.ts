import { HOST_PATH, HOST_PATH_CHARS, SPACED_NAME_DIR } from '@hostnet/contracts';

/** Where the on-host scripts may write: the renderers' config dirs, the OVS helper, hostnet's own state. */
export const ALLOWED_PATH_PREFIXES = ['/etc/', '/var/lib/hostnet/'];
export const ALLOWED_EXACT_PATHS = ['/sbin/ifup-localovs'];

const SAFE_WORD = /^[A-Za-z0-9._-]+$/;

/** Why a host path is refused, or undefined when it is acceptable (the same rule the scripts apply). */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must be absolute';
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character or newline';
  if (path.includes('..')) return "contains '..'";
  if (path.includes('//') || path.endsWith('/')) return 'has an empty path segment';
  if (!HOST_PATH.test(path)) {
    return `contains characters outside [${HOST_PATH_CHARS}] (single spaces only inside a file name directly under ${SPACED_NAME_DIR}, never leading, trailing or doubled)`;
  }
  const allowed = ALLOWED_EXACT_PATHS.includes(path) || ALLOWED_PATH_PREFIXES.some((p) => path.startsWith(p));
  if (!allowed) return `is outside the allowed locations (${[...ALLOWED_PATH_PREFIXES, ...ALLOWED_EXACT_PATHS].join(', ')})`;
  return undefined;
}

/** Directories facts read but no run writes to, each held to the rule of the /etc directory of the same role. */
const READ_ONLY_FACT_DIRS: readonly [string, string][] = [
  ['/run/netplan/', '/etc/netplan/'],
  ['/lib/netplan/', '/etc/netplan/'],
  ['/run/NetworkManager/system-connections/', '/etc/NetworkManager/system-connections/'],
];

/** Why facts would send a file's name hex-encoded, or undefined (facts.script.ts's fact_path). */
export function factPathProblem(path: string): string | undefined {
  const dir = READ_ONLY_FACT_DIRS.find(([from]) => path.startsWith(from));
  return pathProblem(dir ? `${dir[1]}${path.slice(dir[0].length)}` : path);
}

/** Throws a clear error naming the field when a host path is not acceptable. */
export function assertHostPath(path: string, field: string): void {
  const problem = pathProblem(path);
  if (problem) throw new Error(`${field}: host path ${JSON.stringify(path)} ${problem}`);
}

/** Whether a run id, step name or phase is a plain word the scripts accept (their valid_word). */
export function isWord(value: string): boolean {
  return SAFE_WORD.test(value);
}

/** Throws when a run id, step name or phase is not a plain word the scripts accept. */
export function assertWord(value: string, field: string): void {
  if (!isWord(value)) {
    throw new Error(`${field}: ${JSON.stringify(value)} must match [A-Za-z0-9._-]+`);
  }
}
