import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { knownKeysAt, unknownKeysText } from '@hostnet/contracts';
import { emptyValueAdvice } from './empty-value.advice';

const UUID_OR_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;

export const idParam = z.string().regex(UUID_OR_NAME, 'must be a CloudStack id or name (letters, digits, space, . _ -)');

/** CloudStack keeps zone and cluster names in a varchar(255) and accepts any text there; so does the CLI's --zone. */
const NAME_MAX = 255;
/** Control, format, private-use and unassigned characters: nothing a person types into a name. */
const UNPRINTABLE = /\p{C}/u;

/**
 * A zone or cluster id, or its name as CloudStack allows it (`EU West ~ KVM (1)`): bounded and
 * printable, otherwise free. Safe to be free: it is only ever compared with listZones' or
 * listClusters' answer, never put in a path, a shell or a Redis key.
 */
function nameOrIdParam(kind: 'zone' | 'cluster') {
  return z
    .string()
    .max(NAME_MAX, `must be a CloudStack ${kind} id or name of at most ${NAME_MAX} characters`)
    .refine((v) => v.trim().length > 0, `must be a CloudStack ${kind} id or name, not blank`)
    .refine((v) => !UNPRINTABLE.test(v), `must be a CloudStack ${kind} id or name without control characters`);
}

export const zoneParam = nameOrIdParam('zone');
export const clusterParam = nameOrIdParam('cluster');

/** Who asked, for a host's or a rollout's history: free text of the characters a name or an address uses, no secrets. */
export const requestedBy = z.string().max(128).regex(/^[\w .@+-]*$/, 'letters, digits and . @ + - only');

export const runRequestSchema = z
  .object({
    /** Render and diff against the host, change nothing. */
    dryRun: z.boolean().default(false),
    /** Re-apply even when the last run for this spec failed or the diff is empty. */
    force: z.boolean().default(false),
    /** Enable the host once verified even if someone chose to have it Disabled (apps/api/src/triggers/run-allocation.ts). */
    enable: z.boolean().default(false),
    /** Who asked, for the host's history (free text, no secrets). */
    requestedBy: requestedBy.optional(),
  })
  .strict();
export type RunRequest = z.infer<typeof runRequestSchema>;

/**
 * zod's own 'Invalid enum value. Expected …, received …' with the fix, as the other 400s have one. A message
 * the schema gives its field (resolve's action) comes through as zod hands it in.
 */
const EMPTY = 'is empty';

const REQUEST_ERRORS: z.ZodErrorMap = (issue, ctx) => {
  if (issue.code === z.ZodIssueCode.invalid_enum_value && ctx.defaultError.startsWith('Invalid enum value')) {
    return { message: `${JSON.stringify(issue.received)} is not allowed; fix: use one of ${issue.options.join(', ')}` };
  }
  // zod's own wording ('Expected boolean, received string', 'String must contain at least 1 character(s)') said
  // what is wrong but not what to send; a message the schema gives its field comes through as it is.
  if (issue.code === z.ZodIssueCode.invalid_type && issue.received !== 'undefined') {
    return { message: `is a JSON ${issue.received}; fix: send a JSON ${issue.expected}${issue.expected === 'boolean' ? ' (true or false, without quotes)' : ''}` };
  }
  if (issue.code === z.ZodIssueCode.too_small && issue.type === 'string' && ctx.defaultError.startsWith('String must contain')) {
    // the advice for an empty one depends on whether the field may be left out: parseOrThrow gives it
    return { message: issue.minimum === 1 ? EMPTY : `is shorter than ${issue.minimum} characters` };
  }
  if (issue.code === z.ZodIssueCode.too_big && issue.type === 'string' && ctx.defaultError.startsWith('String must contain')) {
    return { message: `is longer than ${issue.maximum} characters; fix: shorten it` };
  }
  return { message: ctx.defaultError };
};

/** An unknown body field, with the fields there are and the one it was likely meant to be. */
function unknownFieldsMessage(keys: string[], fields: string[]): string {
  return `unknown field${keys.length === 1 ? '' : 's'} ${unknownKeysText(keys, fields)}${fields.length > 0 ? `; fix: use only ${fields.join(', ')}` : ''}`;
}

function messageOf(schema: z.ZodTypeAny, issue: z.ZodIssue): string {
  if (issue.code === z.ZodIssueCode.unrecognized_keys) return unknownFieldsMessage(issue.keys, knownKeysAt(schema, issue.path));
  return issue.message === EMPTY ? emptyValueAdvice(schema, issue.path) : issue.message;
}

/** Validates a request part; the 400 names each bad field and what it must be. */
export function parseOrThrow<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, where: string): T {
  const parsed = schema.safeParse(value ?? {}, { errorMap: REQUEST_ERRORS });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${messageOf(schema, i)}`);
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: problems });
}
