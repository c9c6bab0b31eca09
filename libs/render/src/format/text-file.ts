/** Trailing-newline policy for every rendered text file: lines joined by \n, exactly one \n at the end. */
export function textFile(lines: readonly string[]): string {
  return `${lines.join('\n')}\n`;
}

/** `KEY=value` lines for ifcfg/sysconfig files; undefined values are skipped. */
export function shellVars(pairs: ReadonlyArray<readonly [string, string | number | undefined]>): string[] {
  return pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`);
}
