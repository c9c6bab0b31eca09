import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/** body-parser's own default, said in the answer to a larger body. */
const BODY_LIMIT = '100kb';

/**
 * api's JSON body parser, installed before Nest's (Nest adds its own only when no middleware named
 * `jsonParser` is there). Nest answers body-parser's parse failure with JSON.parse's words ("\"null\" is
 * not valid JSON", for JSON it only refuses as not an object), quoting the body; this one says what to
 * send. It keeps the raw bytes as Nest's `rawBody: true` does (webhook signatures).
 */
export function jsonBodyParser(): RequestHandler {
  const parse = json({
    limit: BODY_LIMIT,
    verify: (req, _res, bytes) => {
      (req as Request & { rawBody?: Buffer }).rawBody = bytes;
    },
  });
  return function jsonParser(req: Request, res: Response, next: NextFunction): void {
    parse(req, res, (error?: unknown) => {
      const type = (error as { type?: unknown } | undefined)?.type;
      if (type === 'entity.too.large') {
        res.status(413).json({ statusCode: 413, error: 'Payload Too Large', message: `the request body is larger than api takes (${BODY_LIMIT}); no request of hostnet's needs that much: check what is sent; nothing was done` });
        return;
      }
      if (type !== 'entity.parse.failed') return next(error);
      const at = /at position (\d+)/.exec((error as Error).message)?.[1];
      res.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: `the request body is not a JSON object${at === undefined ? '' : ` (invalid JSON at position ${at})`}: send one, e.g. {} for the defaults, with Content-Type: application/json; nothing was done`,
      });
    });
  };
}
