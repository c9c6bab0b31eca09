import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { parseOrThrow } from '../request-schemas';

/** The 400's messages parseOrThrow gives `body` under `schema`; fails the test when the body is accepted. */
export function requestProblems(schema: z.ZodType<unknown, z.ZodTypeDef, unknown>, body: unknown): string[] {
  try {
    parseOrThrow(schema, body, 'body');
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { message: string[] }).message;
  }
  throw new Error('expected the body to be refused');
}
