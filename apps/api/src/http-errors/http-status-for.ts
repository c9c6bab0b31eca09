import { AmbiguousZoneError, CloudStackApiError, CloudStackError } from '@hostnet/cloudstack';
import { HostnetError } from '@hostnet/contracts';
import { ProfileLoadError } from '@hostnet/intent';
import { AmbiguousTargetError, TargetNotFoundError, type TargetCandidate } from '../triggers/target-errors';

/** The answer an error deserves when it is the client's doing; none for anything else (a 500). */
export interface ClientErrorAnswer {
  status: 400 | 404 | 409 | 422;
  candidates?: readonly TargetCandidate[];
}

/**
 * Maps hostnet errors that are about the request (flagged permanent where they are raised: asking
 * again cannot help) to their 4xx. Transient errors (CloudStack down, Redis) and anything unknown
 * stay 500s. An HTTP 404 from CloudStack itself is not the client's doing (a wrong CLOUDSTACK_URL).
 */
export function clientErrorAnswer(error: unknown): ClientErrorAnswer | undefined {
  if (!(error instanceof HostnetError) || !error.permanent) return undefined;
  if (error instanceof TargetNotFoundError) return { status: 404 };
  if (error instanceof AmbiguousTargetError) return { status: 409, candidates: error.candidates };
  if (error instanceof AmbiguousZoneError) return { status: 409, candidates: error.candidateIds.map((id) => ({ id, name: error.zone })) };
  if (error instanceof ProfileLoadError) return { status: 422 };
  if (error instanceof CloudStackError && !(error instanceof CloudStackApiError)) {
    if (error.kind === 'not-found') return { status: 404 };
    if (error.kind === 'validation') return { status: 400 };
  }
  return undefined;
}

/**
 * CloudStack's own failures (a key pair it refuses, an answer it could not give, no answer at all) are
 * neither the client's doing nor hostnet's: a 502 that carries the message, which names the setting to
 * check and never a secret (libs/cloudstack masks its requests). A bare 500 left the operator to the logs.
 */
export function upstreamErrorStatus(error: unknown): 502 | undefined {
  return error instanceof CloudStackError && clientErrorAnswer(error) === undefined ? 502 : undefined;
}
