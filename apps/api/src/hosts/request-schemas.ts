import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

const UUID_OR_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

export const idParam = z.string().regex(UUID_OR_NAME, 'must be a CloudStack id or name (letters, digits, space, . _ -)');

export const runRequestSchema = z
  .object({
    /** Render and diff against the host, change nothing. */
    dryRun: z.boolean().default(false),
    /** Re-apply even when the last run for this spec failed or the diff is empty. */
    force: z.boolean().default(false),
    /** Who asked, for the host's history (free text, no secrets). */
    requestedBy: z.string().max(128).regex(/^[\w .@+-]*$/, 'letters, digits and . @ + - only').optional(),
  })
  .strict();
export type RunRequest = z.infer<typeof runRequestSchema>;

/** Validates a request part; the 400 names each bad field and what it must be. */
export function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
}
