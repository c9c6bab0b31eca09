import pino from 'pino';

/** Where batched lines go: fd 1 (see batchedStdout), or a test's recorder. */
export interface LineSink {
  write(text: string): unknown;
}

/** Above this many pending characters, lines are written at once instead of at the end of the turn. */
const MAX_PENDING = 64 * 1024;

/**
 * Log lines gathered over one turn of the event loop and written in one call. A worker with a hundred
 * runs in flight logs a dozen lines per run, and each synchronous write to a pipe is a system call: at
 * 200 hosts those writes were 6% of the worker's CPU. Lines keep their order. The process's `exit` event
 * (process.exit, an uncaught exception, the end of the loop) writes what is pending; the apps stop on
 * SIGTERM/SIGINT through process.exit (useProcessExit), so only a SIGKILL loses anything, and then at
 * most the lines of its last turn. Whoever writes to stderr flushes first (flushLogs), so a merged
 * stream keeps the order the lines were logged in.
 */
export class BatchedLines implements LineSink {
  private pending: string[] = [];
  private size = 0;
  private scheduled = false;

  constructor(private readonly sink: LineSink) {
    process.once('exit', () => this.flush());
  }

  write(line: string): boolean {
    this.pending.push(line);
    this.size += line.length;
    if (this.size >= MAX_PENDING) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    return true;
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.size = 0;
    this.sink.write(text);
  }
}

const batches: { blocking?: BatchedLines; stream?: BatchedLines } = {};

/**
 * The process's batch for stdout, per way of writing, each as its logger wrote before batching:
 * - `blocking` (JSON logs): fd 1 through pino's synchronous destination, which waits until the reader took
 *   the text; a full pipe neither grows memory nor loses what process.exit would drop from a queue.
 * - `stream` (Nest's console lines): process.stdout, which queues what a full pipe does not take, so a
 *   test harness that reads an app's output late never stalls the app.
 */
export function batchedStdout(kind: 'blocking' | 'stream'): BatchedLines {
  if (kind === 'blocking') return (batches.blocking ??= new BatchedLines(pino.destination({ dest: 1, sync: true })));
  return (batches.stream ??= new BatchedLines(process.stdout));
}

/** Writes pending log lines now: before a write to stderr, so a merged stream keeps their order. */
export function flushLogs(): void {
  batches.blocking?.flush();
  batches.stream?.flush();
}
