import type { ServerResponse } from 'node:http';
import type { ApiError } from './api-error';
import { toXml } from './xml-body.serializer';

/** JSON and XML content types CloudStack serves (HttpUtils). */
export const JSON_CONTENT_TYPE = 'application/json; charset=UTF-8';
export const XML_CONTENT_TYPE = 'text/xml; charset=UTF-8';

/** Writes `{"<responseName>": body}` (or its XML form) with the given status. */
export function writeBody(
  res: ServerResponse, status: number, responseName: string, body: Record<string, unknown>,
  format: 'json' | 'xml', version: string, headers: Record<string, string> = {},
): void {
  const text = format === 'json' ? JSON.stringify({ [responseName]: body }) : toXml(responseName, body, version);
  res.writeHead(status, {
    'Content-Type': format === 'json' ? JSON_CONTENT_TYPE : XML_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

/** The ExceptionResponse body: uuidList, errorcode, cserrorcode (when set), errortext. */
export function errorBody(error: ApiError): Record<string, unknown> {
  return {
    uuidList: [],
    errorcode: error.errorCode,
    ...(error.csErrorCode === undefined ? {} : { cserrorcode: error.csErrorCode }),
    errortext: error.errorText,
  };
}

/**
 * Writes an error as CloudStack does: HTTP status = errorcode; X-Description carries the text
 * except on the credentials 401, whose servlet path sets no such header.
 */
export function writeError(
  res: ServerResponse, error: ApiError, responseName: string, format: 'json' | 'xml', version: string,
): void {
  const headers: Record<string, string> = error.csErrorCode === undefined ? {} : { 'X-Description': headerSafe(error.errorText) };
  writeBody(res, error.errorCode, responseName, errorBody(error), format, version, headers);
}

function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

