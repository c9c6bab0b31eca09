import { CloudStackProtocolError } from '../errors/cloudstack-error';
import { isObject } from '../client/envelope';

/**
 * Typed reads from one raw CloudStack object, with errors naming the command, object and field.
 * Lenient where CloudStack is: numbers may arrive as strings, absent means undefined.
 */
export class RawReader {
  private readonly obj: Record<string, unknown>;

  constructor(
    raw: unknown,
    private readonly context: string,
  ) {
    if (!isObject(raw)) throw new CloudStackProtocolError(`${context}: expected an object, got ${typeof raw}`);
    this.obj = raw;
  }

  /** A required non-empty string field. */
  string(field: string): string {
    const v = this.optString(field);
    if (v === undefined || v === '') throw new CloudStackProtocolError(`${this.context}: field "${field}" is missing`);
    return v;
  }

  /** An optional string field (numbers are stringified). */
  optString(field: string): string | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new CloudStackProtocolError(`${this.context}: field "${field}" is not a string`);
  }

  /** An optional number field (numeric strings accepted). */
  optNumber(field: string): number | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isFinite(n)) throw new CloudStackProtocolError(`${this.context}: field "${field}" is not a number`);
    return n;
  }

  /** An optional boolean field ("true"/"false" strings accepted). */
  optBoolean(field: string): boolean | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new CloudStackProtocolError(`${this.context}: field "${field}" is not a boolean`);
  }

  /** A comma-separated string field as a trimmed list ("" and absent give []). */
  list(field: string): string[] {
    return (this.optString(field) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }

  /** The raw field names, for mappers that keep unknown scalars. */
  entries(): Array<[string, unknown]> {
    return Object.entries(this.obj);
  }
}
