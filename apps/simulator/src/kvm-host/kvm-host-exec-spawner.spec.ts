import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecSpawner } from './kvm-host-exec-spawner';

interface Outcome {
  stdout: string;
  stderr: string;
  code?: number | null;
  signal?: string | null;
  error?: string;
}

describe('ExecSpawner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hostnet-spawner-spec-'));
  let spawner: ExecSpawner;
  beforeAll(async () => (spawner = await ExecSpawner.acquire()));
  afterAll(() => {
    ExecSpawner.release();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (command: string, stdin?: string, env: Record<string, string> = { PATH: '/usr/bin:/bin' }) => {
    const out: Outcome = { stdout: '', stderr: '' };
    let started!: ReturnType<ExecSpawner['run']>;
    const done = new Promise<Outcome>((resolve) => {
      started = spawner.run(command, { cwd: dir, env }, {
        stdout: (d) => (out.stdout += d.toString()),
        stderr: (d) => (out.stderr += d.toString()),
        close: (code, signal) => resolve({ ...out, code, signal }),
        error: (message) => resolve({ ...out, error: message }),
      });
    });
    if (stdin !== undefined) started.stdin.end(stdin);
    return { done, started };
  };

  it("runs sh -c in the given directory with exactly the given environment, stdout, stderr and exit code apart", async () => {
    const r = await run('pwd; echo "x=$X y=${HOME-unset}"; echo oops >&2; exit 3', undefined, { PATH: '/usr/bin:/bin', X: '1' }).done;
    expect(r).toEqual({ stdout: `${dir}\nx=1 y=unset\n`, stderr: 'oops\n', code: 3, signal: null });
  });

  it('gives the command its stdin up to the end the caller sends', async () => {
    const input = 'line one\n'.repeat(20_000);
    const r = await run('wc -l; cat > /dev/null', input).done;
    expect(r.stdout.trim()).toBe('20000');
    expect(r.code).toBe(0);
  });

  it('reports a command ended by a signal', async () => {
    expect(await run('kill -TERM $$').done).toMatchObject({ code: null, signal: 'SIGTERM' });
  });

  it('lets go of a command without stopping it: its pipes close, it runs on (sshd without a pty)', async () => {
    const marker = join(dir, 'still-ran');
    const { started } = run(`sleep 0.5; echo late 2>/dev/null; touch ${marker}`);
    started.detach();
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(marker)).toBe(true);
  });

  it('waits for the output of a background job that holds stdout, as sshd does', async () => {
    const r = await run('(sleep 0.3; echo from-background) & echo first').done;
    expect(r.stdout).toBe('first\nfrom-background\n');
  });

  it('is one process for all callers, ended with the last release', async () => {
    const again = await ExecSpawner.acquire();
    expect(again).toBe(spawner);
    ExecSpawner.release();
    expect((await run('echo still-here').done).stdout).toBe('still-here\n');
  });
});
