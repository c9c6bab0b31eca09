/** Quotes one word for a POSIX shell: safe words stay bare, everything else goes in single quotes. */
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('shellQuote: a shell word cannot contain a NUL byte');
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins argv into one command line where every word reaches the program exactly as given. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
