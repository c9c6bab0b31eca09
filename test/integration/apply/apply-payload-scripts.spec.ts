import { encodeApplyPayload } from '@hostnet/apply';
import { HOST_SCRIPT_COMMANDS } from '../../../libs/apply/src/scripts/host-script-commands';
import { RUN_SCRIPTS } from '../../../libs/apply/src/scripts/run-scripts';
import { NEW_INTERFACES } from './support/bridge-plan';
import { LocalHostSession } from './support/local-host-session';
import { OLD_INTERFACES, SimRoot } from './support/sim-root';

/** The run's restore.sh and boot hook travel on stdin, not in the apply command (one SSH exec request caps it). */
describe('the run scripts in the apply payload', () => {
  let root: SimRoot;
  beforeEach(() => {
    root = new SimRoot();
  });
  afterEach(() => root.remove());

  const payload = (runId: string) =>
    encodeApplyPayload({
      runId,
      specHash: 'spec0',
      rollbackSeconds: 60,
      stepTimeoutSeconds: 10,
      seen: null,
      files: [{ path: '/etc/network/interfaces', content: NEW_INTERFACES, mode: 0o644 }],
      removes: [],
      steps: [],
      restoreSteps: [],
    });
  const apply = async (stdin: string) => {
    const r = await new LocalHostSession(root.dir).exec(HOST_SCRIPT_COMMANDS.apply, { stdin, timeoutMs: 20_000 });
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>;
  };

  it('are written into the run directory byte for byte', async () => {
    expect(await apply(payload('scripts-1'))).toMatchObject({ status: 'armed' });
    for (const script of RUN_SCRIPTS) expect(root.read(`var/lib/hostnet/backups/scripts-1/${script.name}`)).toBe(script.content);
  });

  it.each([
    ['a payload without restore.sh', (p: string) => p.replace(/^script restore\.sh \d+\n.*\n/m, ''), /^payload without restore\.sh$/],
    ['a script name that is none of the run scripts', (p: string) => p.replace(/^script recover\.sh /m, 'script ../../../etc/cron.d/x '), /^bad script name$/],
    ['a script shorter than its length says', (p: string) => p.replace(/^(script recover\.sh \d+\n.*)..$/m, '$1'), /^bad (base64|script length)$/],
    ['a script longer than its length says', (p: string) => p.replace(/^(script recover\.sh \d+\n.*)$/m, '$1AAAA'), /^bad script length$/],
  ])('refuse %s before anything changes', async (_what, edit, reason) => {
    const edited = edit(payload('scripts-2'));
    expect(edited).not.toBe(payload('scripts-2'));
    expect(await apply(edited)).toEqual({ status: 'rejected', reason: expect.stringMatching(reason) });
    expect(root.read('etc/network/interfaces')).toBe(OLD_INTERFACES);
    expect(root.exists('var/lib/hostnet/state.json')).toBe(false);
  });
});
