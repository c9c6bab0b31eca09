import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * standins/sysctl.sh in this process: records the call in .sim/sysctl.log and, for a settings FILE,
 * prints the settings it would load (`key = value`), reading FILE under the host's root.
 */
export function leanSysctl(rootDir: string, args: string[]): { code: number; stdout: string; stderr: string } {
  appendFileSync(join(rootDir, '.sim/sysctl.log'), `sysctl ${args.join(' ')}\n`);
  const file = args.filter((a) => !a.startsWith('-')).at(-1) ?? '';
  if (file === '') return { code: 0, stdout: '', stderr: '' };
  let text: string;
  try {
    text = readFileSync(rootDir + file, 'utf8');
  } catch {
    return { code: 255, stdout: '', stderr: `sysctl: cannot open "${file}": No such file or directory\n` };
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const settings = lines.filter((l) => !/^[ \t\n\v\f\r]*#/.test(l) && l.includes('=')).map((l) => `${l.replace(/[ \t\n\v\f\r]*=[ \t\n\v\f\r]*/, ' = ')}\n`);
  return { code: 0, stdout: settings.join(''), stderr: '' };
}
