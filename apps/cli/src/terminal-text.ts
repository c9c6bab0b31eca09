/** Host names, reasons and file diffs come from CloudStack and the hosts: no control character reaches the terminal. */
export function printable(line: string): string {
  return line.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `printable` for each line of a text, its line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** A text on one line, its whitespace runs (line breaks too) one space, cut to `width` with an ellipsis. */
export function oneLine(text: string, width = Infinity): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}
