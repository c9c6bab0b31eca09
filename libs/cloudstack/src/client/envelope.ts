import { CloudStackProtocolError } from '../errors/cloudstack-error';

/** The object inside a `<command>response` wrapper. */
export type ResponseBody = Record<string, unknown>;

/** An error body as CloudStack writes it (inside any wrapper). */
export interface ErrorBody {
  errorCode?: number;
  csErrorCode?: number;
  errorText?: string;
}

/**
 * Unwraps `{"<command lowercase>response": {...}}`. A few commands answer under another
 * wrapper name (FACTS §2.0), so a body with exactly one `*response` key is accepted too.
 */
export function unwrapEnvelope(command: string, body: unknown): ResponseBody {
  if (!isObject(body)) throw new CloudStackProtocolError(`CloudStack ${command} answered with a non-object JSON body`, command);
  const expected = `${command.toLowerCase()}response`;
  const inner = body[expected] ?? soleResponseValue(body);
  if (!isObject(inner)) {
    throw new CloudStackProtocolError(
      `CloudStack ${command} answer has no "${expected}" object (keys: ${Object.keys(body).join(', ') || 'none'})`,
      command,
    );
  }
  return inner;
}

/** Reads errorcode/cserrorcode/errortext from any `*response` wrapper; undefined if absent. */
export function readErrorBody(body: unknown): ErrorBody | undefined {
  if (!isObject(body)) return undefined;
  for (const [key, value] of Object.entries(body)) {
    if (!key.endsWith('response') || !isObject(value)) continue;
    if (value.errorcode === undefined && value.errortext === undefined) continue;
    return {
      errorCode: toInt(value.errorcode),
      csErrorCode: toInt(value.cserrorcode),
      errorText: typeof value.errortext === 'string' ? value.errortext : undefined,
    };
  }
  return undefined;
}

/** True for a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function soleResponseValue(body: Record<string, unknown>): unknown {
  const keys = Object.keys(body).filter((k) => k.endsWith('response'));
  return keys.length === 1 ? body[keys[0] as string] : undefined;
}

function toInt(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}
