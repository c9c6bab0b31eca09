import { vlanIdProblem } from '@hostnet/intent';
import { CliUsageError } from '../cli-command';

/** `100-199,300` → [100, 199, 300, 300]: the ends of each range, each checked (the agent bridge name checks need the highest). */
export function parsePublicVlans(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const start = Number(m?.[1]);
    const end = m?.[2] === undefined ? start : Number(m[2]);
    // vlanIdProblem carries its own fix; this message gives the flag's, once.
    const problem = m ? (vlanIdProblem(start) ?? vlanIdProblem(end))?.split('; fix: ')[0] ?? null : 'is not a VLAN id or range';
    if (!m || problem !== null || end < start) {
      throw new CliUsageError(`--public-vlans ${JSON.stringify(part)} ${problem ?? 'ends before it starts'}; fix: list VLAN ids and ranges like 100-199,300 (1-4094)`);
    }
    out.push(start, end);
  }
  return out;
}
