import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { verifySignature } from '@hostnet/cloudstack';

/** One request as the fake server received it (names as sent, values decoded). */
export interface ReceivedCall {
  method: string;
  command: string;
  params: Record<string, string>;
  rawQuery: string;
  rawBody: string;
}

/** What a handler answers: a status + JSON body, raw text, or 'hang' (never answer). */
export type FakeReply = { status?: number; body?: unknown; text?: string; delayMs?: number } | 'hang';
export type FakeHandler = (call: ReceivedCall, nth: number) => FakeReply;

/**
 * A tiny CloudStack stand-in for exact fault shapes: verifies the signature like the real
 * server (401 with CloudStack's body when wrong), then lets the test answer per command.
 */
export class FakeCloudStack {
  readonly calls: ReceivedCall[] = [];
  /** Most requests the server held open at the same time. */
  peakConcurrent = 0;
  private active = 0;
  private readonly handlers = new Map<string, FakeHandler>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts on 127.0.0.1 with an ephemeral port. */
  static async start(apiKey: string, secretKey: string): Promise<FakeCloudStack> {
    let fake: FakeCloudStack | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res, apiKey, secretKey));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeCloudStack(server, `http://127.0.0.1:${port}/client/api`);
    return fake;
  }

  /** Sets the handler for one command (by its name as sent). */
  on(command: string, handler: FakeHandler): this {
    this.handlers.set(command, handler);
    return this;
  }

  /** Calls received for one command. */
  callsOf(command: string): ReceivedCall[] {
    return this.calls.filter((c) => c.command === command);
  }

  /** Forgets calls and handlers. */
  reset(): void {
    this.calls.length = 0;
    this.peakConcurrent = 0;
    this.handlers.clear();
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse, apiKey: string, secretKey: string): Promise<void> {
    this.active++;
    this.peakConcurrent = Math.max(this.peakConcurrent, this.active);
    let done = false;
    const leave = (): void => {
      if (!done) this.active--;
      done = true;
    };
    // 'finish' fires before the client can see the answer, so peak never counts a slot twice.
    res.on('finish', leave).on('close', leave);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    const params: Record<string, string> = {};
    for (const source of [rawQuery, rawBody]) for (const [k, v] of new URLSearchParams(source)) params[k] = v;
    const { signature = '', ...signed } = params;
    const command = params.command ?? '';
    const call: ReceivedCall = { method: req.method ?? '', command, params, rawQuery, rawBody };
    this.calls.push(call);
    const wrapper = `${command.toLowerCase()}response`;
    if (params.apikey !== apiKey || !verifySignature(signed, secretKey, signature) || !expiresOk(params.expires)) {
      return send(res, 401, { [wrapper]: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
    }
    const handler = this.handlers.get(command);
    if (!handler) return send(res, 401, { errorresponse: { uuidList: [], errorcode: 401, errortext: 'unable to verify user credentials and/or request signature' } });
    const reply = handler(call, this.callsOf(command).length);
    if (reply === 'hang') {
      this.hanging.add(res);
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (reply.text !== undefined) {
      res.writeHead(reply.status ?? 200, { 'Content-Type': 'text/html' }).end(reply.text);
      return;
    }
    send(res, reply.status ?? 200, reply.body ?? {});
  }
}

function expiresOk(expires: string | undefined): boolean {
  if (expires === undefined) return true;
  // CloudStack's yyyy-MM-dd'T'HH:mm:ssZ; must still be in the future.
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)([+-]\d\d)(\d\d)$/.exec(expires);
  return m !== null && Date.parse(`${m[1]}${m[2]}:${m[3]}`) > Date.now();
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** A CloudStack error body for `command` with the given codes. */
export function errorBody(command: string, errorcode: number, errortext: string, cserrorcode?: number): unknown {
  return { [`${command.toLowerCase()}response`]: { uuidList: [], errorcode, ...(cserrorcode ? { cserrorcode } : {}), errortext } };
}
