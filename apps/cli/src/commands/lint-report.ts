import { whereText, type LintFinding } from '@hostnet/intent';

/** `2 errors, 1 warning` / `no findings`. */
export function lintSummary(findings: readonly LintFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  if (findings.length === 0) return 'no findings';
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}

/** The findings as a table (severity | code | where | message with the fix), then the summary line. */
export function formatLintTable(zone: string, findings: readonly LintFinding[]): string {
  const rows = findings.map((f) => [f.severity, f.code, whereText(f.where), f.message]);
  const header = ['SEVERITY', 'CODE', 'WHERE', 'MESSAGE'];
  const widths = [0, 1, 2].map((i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ').trimEnd();
  const table = rows.length > 0 ? `${[header, ...rows].map(line).join('\n')}\n` : '';
  return `${table}zone ${zone}: ${lintSummary(findings)}\n`;
}

/** `--json`: the zone, the counts and every finding. */
export function formatLintJson(zone: string, findings: readonly LintFinding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${JSON.stringify({ zone, errors, warnings: findings.length - errors, findings }, null, 2)}\n`;
}
