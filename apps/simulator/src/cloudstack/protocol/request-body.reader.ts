import type { IncomingMessage } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a urlencoded POST body (other bodies are ignored, as the servlet's parameter map would). */
export async function readFormBody(req: IncomingMessage): Promise<string> {
  if (req.method !== 'POST') return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body larger than 1 MiB');
    chunks.push(chunk as Buffer);
  }
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('application/x-www-form-urlencoded') ? Buffer.concat(chunks).toString('utf8') : '';
}
