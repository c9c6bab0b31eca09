import { spawnSync } from 'node:child_process';
import { COMMON_SNIPPET } from './common.snippet';

/** A host whose locale is German: the tools every script starts must still speak the words the scripts match. */
describe('the host scripts run their tools in the C locale', () => {
  it('sets and exports LC_ALL=C over the inherited LANG and LC_ALL', () => {
    const r = spawnSync('/bin/sh', ['-c', `${COMMON_SNIPPET}\nsh -c 'echo "$LC_ALL"'`], {
      env: { PATH: process.env.PATH, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8', LC_MESSAGES: 'de_DE.UTF-8' },
      encoding: 'utf8',
    });
    expect(r.stdout.trim()).toBe('C');
  });
});
