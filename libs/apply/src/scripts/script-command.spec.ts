import { spawnSync } from 'node:child_process';
import { AGENT_RESTART_SCRIPT } from './agent-restart.script';
import { APPLY_SCRIPT } from './apply.script';
import { CONFIRM_SCRIPT } from './confirm.script';
import { FACTS_SCRIPT } from './facts.script';
import { RESOLVE_SCRIPT } from './resolve.script';
import { VERIFY_SCRIPT } from './verify.script';
import { RUN_SCRIPTS } from './run-scripts';
import { MAX_SCRIPT_COMMAND_BYTES, compactScript, scriptCommand } from './script-command';

const SCRIPTS = { apply: APPLY_SCRIPT, facts: FACTS_SCRIPT, verify: VERIFY_SCRIPT, confirm: CONFIRM_SCRIPT, resolve: RESOLVE_SCRIPT, 'agent-restart': AGENT_RESTART_SCRIPT };

describe('scriptCommand', () => {
  it('ships a script without its comment and blank lines and without indentation, every command kept as written', () => {
    expect(compactScript('set -u\n# why\n\n  # indented why\nif true; then\n  echo "a # b"\nfi\n')).toBe('set -u\nif true; then\necho "a # b"\nfi\n');
  });

  it.each(Object.entries(SCRIPTS))('keeps the %s script within one SSH exec request, and still valid sh', (name, script) => {
    const command = scriptCommand(name, script);
    expect(Buffer.byteLength(command)).toBeLessThanOrEqual(MAX_SCRIPT_COMMAND_BYTES);
    for (const sh of ['dash', 'bash']) expect(spawnSync(sh, ['-n', '-c', compactScript(script)]).status).toBe(0);
  });

  it.each(RUN_SCRIPTS.filter((s) => s.name.endsWith('.sh')).map((s) => [s.name, s.content]))('ships the run\'s %s in the payload, compacted and still valid sh', (_name, script) => {
    expect(script).toBe(compactScript(script));
    for (const sh of ['dash', 'bash']) expect(spawnSync(sh, ['-n', '-c', script]).status).toBe(0);
  });

  it('refuses, naming the script and the limit, a script too long for one SSH exec request', () => {
    expect(() => scriptCommand('big', `echo ${'x'.repeat(MAX_SCRIPT_COMMAND_BYTES)}\n`)).toThrow(/the big script's command is \d+ bytes, over the 32768/);
  });
});
