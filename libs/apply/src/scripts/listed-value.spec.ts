import { spawnSync } from 'node:child_process';
import { COMMON_SNIPPET } from './common.snippet';
import { compactScript } from './script-command';

/** listed_value as plan_changes uses it: a hash or a mode out of a sha256sum or stat listing, by exact path. */
describe.each(['dash', 'bash'])('listed_value (%s)', (shell) => {
  const listing = '\na1  /r/etc/x\nb2  /r/etc/x.bak\nc3  /r/etc/sub/x\nd4  /r/etc/with space\n';
  const value = (list: string, suffix: string): string => {
    const script = `${compactScript(COMMON_SNIPPET)}\nlisted_value "$1" "$2"\nprintf '[%s]' "$REPLY"`;
    const r = spawnSync(shell, ['-c', script, 'listed-value', list, suffix], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    return r.stdout;
  };

  it('finds the line that ends in exactly the path, not a longer path that contains it', () => {
    expect(value(listing, '  /r/etc/x')).toBe('[a1]');
    expect(value(listing, '  /r/etc/x.bak')).toBe('[b2]');
    expect(value(listing, '  /r/etc/sub/x')).toBe('[c3]');
    expect(value(listing, '  /r/etc/with space')).toBe('[d4]');
    expect(value('\n644 /r/etc/x\n600 /r/new/etc/x\n', ' /r/etc/x')).toBe('[644]');
  });

  it('is empty for a path not listed or an empty listing', () => {
    expect(value(listing, '  /r/etc/y')).toBe('[]');
    expect(value(listing, '  /r/etc')).toBe('[]');
    expect(value('', '  /r/etc/x')).toBe('[]');
  });
});
