import { z } from 'zod';
import { isResolveReasonText, RESOLVE_REASON_CHARS_TEXT } from '@hostnet/contracts';
import { requestedBy } from '../hosts/request-schemas';

/**
 * POST /hosts/:id/resolve. Rollback only: confirming a run that no worker verified would keep a
 * configuration nobody checked, the one thing the rollback timer exists to prevent.
 */
export const resolveRequestSchema = z
  .object({
    action: z.enum(['rollback'], {
      errorMap: () => ({ message: "must be 'rollback' (confirm is not offered: a run nobody verified is never kept)" }),
    }),
    reason: z
      .string({ required_error: 'is required: say why the run is stuck, e.g. "worker died, timer gone"' })
      .trim()
      .min(3, 'must say why in 3 to 200 characters')
      .max(200, 'must say why in 3 to 200 characters')
      .refine(isResolveReasonText, `${RESOLVE_REASON_CHARS_TEXT} only (it reaches the host's journal)`),
    /** Who asked, for the host's history and journal (no secrets). */
    requestedBy: requestedBy.min(1).optional(),
  })
  .strict();

export type ResolveRequest = z.infer<typeof resolveRequestSchema>;
