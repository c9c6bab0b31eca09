import type { NextFunction, Request, RequestHandler, Response } from 'express';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A request body api cannot read is refused (415), never read as `{}`: an operator's `{"dryRun":true}`
 * sent as text/plain was parsed as no body at all, and a run with no options is an apply. A request
 * without a body (a bare POST) still means "the defaults". `ownParser`: paths whose route reads any
 * content type itself (CloudStack's webhook deliveries, signed raw bytes).
 */
export function jsonBodiesOnly(ownParser: readonly string[]): RequestHandler {
  const exempt = new Set(ownParser);
  return (req: Request, res: Response, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method) || !hasBody(req) || isJson(req.headers['content-type']) || exempt.has(req.path)) return next();
    const sent = req.headers['content-type'];
    res.status(415).json({
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `the request body is not JSON (Content-Type ${sent ? JSON.stringify(sent.slice(0, 100)) : 'missing'}): send it with Content-Type: application/json, nothing was done`,
    });
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
