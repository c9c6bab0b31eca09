/** One server-sent event as received. */
export interface SseEvent {
  type: string;
  data: unknown;
}

/** Minimal SSE client over fetch (tests only): reads events in order, with bounded waits. */
export class SseReader {
  private readonly received: SseEvent[] = [];
  private buffer = '';
  private readonly decoder = new TextDecoder();

  private constructor(
    readonly response: Response,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    if (!response.body) throw new Error(`no body from ${url} (status ${response.status})`);
    return new SseReader(response, response.body.getReader(), abort);
  }

  /** The next event (after those already returned) matching `predicate`, or a timeout error. */
  async next(predicate: (event: SseEvent) => boolean = () => true, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.received.findIndex(predicate);
      if (index >= 0) return this.received.splice(0, index + 1)[index]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching SSE event within ${timeoutMs} ms; saw ${JSON.stringify(this.received.map((e) => e.type))}`);
      await this.readChunk(left);
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.reader.cancel().catch(() => undefined);
  }

  private async readChunk(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const chunk = await Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
    if (chunk === 'timeout') return;
    if (chunk.done) throw new Error('SSE stream ended');
    this.buffer += this.decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
  }

  private parse(block: string): void {
    let type = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // plain text data stays a string
    }
    this.received.push({ type, data: parsed });
  }
}
