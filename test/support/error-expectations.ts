import { HostnetError, isPermanentError } from '@hostnet/contracts';

/** The error `work` throws; fails the test when it returns instead. */
export function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

/** `error` is a `type`, named after it, and stops retries by its own flag. */
export function expectPermanent(error: unknown, type: new (...args: never[]) => HostnetError): void {
  expect(error).toBeInstanceOf(type);
  expect((error as HostnetError).permanent).toBe(true);
  expect(isPermanentError(error)).toBe(true);
  expect((error as Error).name).toBe(type.name);
}
