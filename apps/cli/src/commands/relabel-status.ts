import { CliIo, EXIT_OK } from '../cli-command';
import { describeRollout, ENDED_STATES, type RolloutView } from './relabel-report';
import { renderStatusFrame } from './relabel-status-report';

/** How `--watch` polls: every `intervalMs`, giving up after `misses` reads in a row failed (an api restart is shorter). */
export interface WatchOptions {
  intervalMs: number;
  misses: number;
}

export const DEFAULT_WATCH: WatchOptions = { intervalMs: 2000, misses: 5 };

/**
 * `hostnet relabel status`: on a terminal the progress bars per wave (redrawn in place with `--watch`),
 * else the plain text (or `--json`) scripts read, printed again whenever it changed. `--watch` returns once
 * the rollout ended: 0 when done, an error when aborted.
 */
export async function relabelStatus(read: () => Promise<RolloutView>, flags: Record<string, string>, io: CliIo, options: WatchOptions): Promise<number> {
  const tty = flags.json ? undefined : io.tty;
  const format = (view: RolloutView) => (flags.json ? `${JSON.stringify(view, null, 2)}\n` : tty ? renderStatusFrame(view, tty.columns) : describeRollout(view));
  if (!flags.watch) {
    io.stdout(format(await read()));
    return EXIT_OK;
  }
  let shown = '';
  let misses = 0;
  for (;;) {
    let view: RolloutView;
    try {
      view = await read();
      misses = 0;
    } catch (error) {
      if (++misses >= options.misses || !shown) throw error;
      await sleep(options.intervalMs);
      continue;
    }
    const text = format(view);
    if (text !== shown) {
      // Up to the first line drawn last time, clear from there down, draw again.
      const lines = shown.split('\n').length - 1;
      io.stdout(tty && lines > 0 ? `\x1b[${lines}A\r\x1b[J${text}` : text);
      shown = text;
    }
    if (ENDED_STATES.has(view.state)) {
      if (view.state === 'done') return EXIT_OK;
      throw new Error(`rollout ${view.id} ended ${view.state}${view.reason ? `: ${view.reason}` : ''}`);
    }
    await sleep(options.intervalMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
