import { spawn } from 'node:child_process';
import { CLI_MAIN, ensureBuiltApps } from '../support/worker-process';

/** The built `hostnet` whose reader went away (`… | head -1`) before it wrote. */
describe('hostnet writing to a closed pipe', () => {
  beforeAll(() => ensureBuiltApps());

  it('ends quietly with status 0, as Unix tools do, instead of an unhandled EPIPE', async () => {
    const child = spawn(process.execPath, [CLI_MAIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader is gone before the CLI's first write
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
