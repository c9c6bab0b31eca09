import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake api saw. */
export interface SeenRequest {
  method: string;
  url: string;
  authorization?: string;
  body: string;
}

/** A tiny stand-in for api on 127.0.0.1: answers each request with what `reply` returns (`raw`: a body sent as it is, as HTML). */
export async function fakeApi(reply: (req: SeenRequest) => { status: number; body?: unknown; raw?: string }): Promise<{ url: string; seen: SeenRequest[]; server: Server }> {
  const seen: SeenRequest[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body };
      seen.push(request);
      const { status, body: out, raw } = reply(request);
      if (raw !== undefined) res.writeHead(status, { 'content-type': 'text/html' }).end(raw);
      else res.writeHead(status, { 'content-type': 'application/json' }).end(out === undefined ? '' : JSON.stringify(out));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}
