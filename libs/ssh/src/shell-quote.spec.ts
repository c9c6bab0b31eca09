import { execFileSync } from 'node:child_process';
import { shellJoin, shellQuote } from './shell-quote';

describe('shellQuote', () => {
  it.each([
    ['eth0', 'eth0'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$(reboot)', "'$(reboot)'"],
    ['-n', '-n'],
  ])('quotes %p as %p', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('rejects NUL bytes, which no shell word can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('round-trips hostile words through a real /bin/sh', () => {
    const words = ['plain', 'two words', "quote'in", '"dq"', '$HOME', '`id`', 'a\nb', '*', '\\', '', '!x', ';rm -rf /'];
    const out = execFileSync('/bin/sh', ['-c', `for w in ${shellJoin(words)}; do printf '%s\\0' "$w"; done`]);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
  });
});
