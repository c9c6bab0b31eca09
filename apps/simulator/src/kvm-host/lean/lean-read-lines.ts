/** The lines `while IFS= read -r line` sees: a last line without its newline is not read. */
export function readLines(text: string): string[] {
  const lines = text.split('\n');
  lines.pop();
  return lines;
}
