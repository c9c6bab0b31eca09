import { ApiError } from '../protocol/api-error';
import type { ApiRequest } from '../protocol/api-request';

/** Reads typed parameters and raises the 431s CloudStack's ParamProcessWorker would. */
export class ParamReader {
  constructor(private readonly request: ApiRequest, private readonly commandName: string) {}

  private get api(): string {
    return this.commandName.toLowerCase();
  }

  string(name: string): string | undefined {
    return this.request.get(name);
  }

  requiredString(name: string): string {
    const value = this.request.get(name);
    if (value === undefined) throw ApiError.param(`Unable to execute API command ${this.api} due to missing parameter ${name}`);
    return value;
  }

  integer(name: string): number | undefined {
    const value = this.request.get(name);
    if (value === undefined || value.trim() === '') return undefined;
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
      throw ApiError.param(`Unable to execute API command ${this.api} due to invalid value ${value} for parameter ${name}`);
    }
    return Number(value);
  }

  /** An id parameter that must name an existing entity found by `lookup`. */
  entity<T>(name: string, lookup: (id: string) => T | undefined, required = false): T | undefined {
    const value = required ? this.requiredString(name) : this.request.get(name);
    if (value === undefined) return undefined;
    const found = lookup(value);
    if (found === undefined) {
      throw ApiError.param(
        `Unable to execute API command ${this.api} due to invalid value. Invalid parameter ${name} value=${value} due to incorrect long value format, or entity does not exist or due to incorrect parameter annotation for the field in api cmd class.`,
      );
    }
    return found;
  }

  requiredEntity<T>(name: string, lookup: (id: string) => T | undefined): T {
    return this.entity(name, lookup, true)!;
  }
}
