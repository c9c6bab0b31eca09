/** Where batched lines go: process.stdout, or a test's recorder. */
export interface LineSink {
  write(text: string): unknown;
}

/** Above this many pending characters, lines are written at once instead of at the end of the turn. */
const MAX_PENDING = 64 * 1024;

/**
 * Log lines gathered over one turn of the event loop and written in one call. A worker with a hundred
 * runs in flight logs a dozen lines per run, and each synchronous write to a pipe is a system call: at
 * 200 hosts those writes were 6% of the worker's CPU. Lines keep their order; the process's `exit` event
 * (process.exit, an uncaught exception, the end of the loop) writes what is pending, so only a SIGKILL
 * loses anything, and then at most the lines of its last turn.
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

let stdout: BatchedLines | undefined;

/** The process's one batch for stdout, shared by every logger that writes there. */
export function batchedStdout(): BatchedLines {
  return (stdout ??= new BatchedLines(process.stdout));
}
