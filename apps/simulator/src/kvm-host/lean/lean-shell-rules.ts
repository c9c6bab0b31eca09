/**
 * The on-host scripts' input rules (common.snippet.ts valid_path and valid_word), for the lean host
 * model: it must accept and refuse exactly what the scripts do, or hand the command to them.
 */

const ALLOWED_ROOTS = /^(\/etc\/.*|\/sbin\/ifup-localovs|\/var\/lib\/hostnet\/.*)$/s;
const NM_DIR = '/etc/NetworkManager/system-connections/';

export function validPath(path: string): boolean {
  if (!ALLOWED_ROOTS.test(path)) return false;
  if (path.includes('..') || path.includes('//') || path.endsWith('/')) return false;
  const nmFile = path.startsWith(NM_DIR) && !path.slice(NM_DIR.length).includes('/');
  if (nmFile) return !(path.includes('  ') || path.endsWith(' ') || path.includes('/ ') || /[^A-Za-z0-9._@+:/ -]/.test(path));
  return !/[^A-Za-z0-9._@+:/-]/.test(path);
}

export function validWord(word: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(word);
}

/** The lines `while IFS= read -r line` sees: a last line without its newline is not read. */
export function readLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}
